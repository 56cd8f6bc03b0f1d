# held.gp: held-<scenario>: connections held vs connections asked per model,
# log-log; the diagonal is every connection held; red marks name the cause of
# each break (<stem>.marks.dat).
reset
load plots_dir.'/common.gp'
@conns_axis
set ylabel 'connections held (log scale)'
set logscale y
set format y '%.0s%c'
set yrange [cmin / 1.4 : cmax * 1.4]
if (words(models) == 0 && !marks) { @no_data } else {
    plot x with lines dt 2 lw 1 lc rgb '#999999' title 'asked', \
        for [i=1:words(models)] datf(word(models, i)) using 1:2 with linespoints \
        lw 2 pt mpoint(word(models, i)) ps 1.3 lc rgb mcolor(word(models, i)) \
        title word(models, i) @marks_cmd
}
