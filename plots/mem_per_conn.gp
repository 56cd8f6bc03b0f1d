# mem_per_conn.gp: mem-per-conn: what one connection costs each model at the
# largest connection count, stacked: user, kernel stacks, page tables, sockets.
reset
load plots_dir.'/common.gp'
set style data histograms
set style histogram rowstacked
set style fill solid 0.85 border rgb '#333333'
set boxwidth 0.6
set xlabel 'model' offset 0,-0.8
set bmargin 6
set ylabel 'memory per connection (KiB)'
set yrange [0:*]
set grid noxtics nomxtics
# ten model names side by side overlap: tilt them
set xtics rotate by -30 left
# the total above each bar, so a 4 KiB event loop next to a 500 KiB prefork
# still reads as a number and not as an invisible sliver
total(u, k, p, s) = u + k + p + s
if (words(models) == 0) { @no_data } else {
    plot 'mem-per-conn.bars.dat' using 2:xtic(1) lc rgb '#4c72b0' title 'user space (PSS)', \
         '' using 3 lc rgb '#dd8452' title 'kernel stacks', \
         '' using 4 lc rgb '#55a868' title 'page tables', \
         '' using 5 lc rgb '#c44e52' title 'TCP socket buffers', \
         '' using ($0):(total($2, $3, $4, $5)):(sprintf('%.1f', total($2, $3, $4, $5))) \
            with labels offset 0,0.7 font ',9' notitle
}
