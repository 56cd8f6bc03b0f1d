# mem_per_conn.gp: mem-per-conn: what one connection costs each model at the
# largest connection count, stacked: user, kernel stacks, page tables, sockets.
reset
load plots_dir.'/common.gp'
set style data histograms
set style histogram rowstacked
set style fill solid 0.85 border rgb '#333333'
set boxwidth 0.6
set xlabel 'model'
set ylabel 'memory per connection (KiB)'
set yrange [0:*]
set grid noxtics nomxtics
if (words(models) == 0) { @no_data } else {
    plot 'mem-per-conn.bars.dat' using 2:xtic(1) lc rgb '#4c72b0' title 'user space (PSS)', \
         '' using 3 lc rgb '#dd8452' title 'kernel stacks', \
         '' using 4 lc rgb '#55a868' title 'page tables', \
         '' using 5 lc rgb '#c44e52' title 'TCP socket buffers'
}
