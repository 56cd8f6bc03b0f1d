# mem_books.gp: mem-books: what one idle connection costs each model's server
# and, in its own bar, c10k-load's side, stacked by part (slab included).
reset
load plots_dir.'/common.gp'
set style data histograms
set style histogram rowstacked
set style fill solid 0.85 border rgb '#333333'
set boxwidth 0.6
set xlabel 'model and side' offset 0,-0.8
set bmargin 7
set ylabel 'memory per connection (KiB)'
set yrange [0:*]
set grid noxtics nomxtics
set xtics rotate by -30 left
total(a, b, c, d, e, f) = a + b + c + d + e + f
if (words(models) == 0) { @no_data } else {
    plot 'mem-books.bars.dat' using 2:xtic(1) lc rgb '#4c72b0' title 'user space', \
         '' using 3 lc rgb '#dd8452' title 'kernel stacks', \
         '' using 4 lc rgb '#55a868' title 'page tables', \
         '' using 5 lc rgb '#8172b3' title 'slab (socket, inode, file...)', \
         '' using 6 lc rgb '#c44e52' title 'socket buffers', \
         '' using 7 lc rgb '#937860' title 'other', \
         '' using ($0):(total($2, $3, $4, $5, $6, $7)):(sprintf('%.1f', total($2, $3, $4, $5, $6, $7))) \
            with labels offset 0,0.7 font ',9' notitle
}
