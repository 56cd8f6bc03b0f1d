# latency.gp: latency-<scenario>: p50 (solid), p99 (dashed), p99.9 (dotted) per
# model vs connections, log y, error bars min-max over trials. The legend
# names each model once (its colour) and the three line styles once.
reset
load plots_dir.'/common.gp'
@conns_axis
set ylabel 'latency (µs, log scale)'
set logscale y
set format y '%.0s%c'
pct(k) = word('p50 p99 p99.9', k)
if (words(models) == 0 && !marks) { @no_data } else { if (words(models) == 0) {
    plot NaN notitle @marks_cmd
} else {
    plot for [i=1:words(models)] for [k=1:3] datf(word(models, i)) \
        using 1:(column(3*k-1)):(column(3*k)):(column(3*k+1)) with yerrorlines \
        lw 2 dt k pt mpoint(word(models, i)) ps 1.1 lc rgb mcolor(word(models, i)) \
        title (k == 1 ? word(models, i) : ''), \
        for [k=1:3] NaN with lines lw 2 dt k lc rgb '#444444' title pct(k) @marks_cmd
}
}
