# latency.gp: latency-<scenario>: p50 (solid), p99 (dashed), p99.9 (dotted) per
# model vs connections, log y, bars min-max over trials, in the two panels of
# panels.gp (C models, Python models). The key names each model once (its
# colour) and the three line styles once.
reset
load plots_dir.'/common.gp'
@conns_axis
set ylabel 'latency (µs, log scale)'
set logscale y
set format y '%.0s%c'
pct(k) = word('p50 p99 p99.9', k)
lines(list) = "plot for [m in '".list."'] for [k=1:3] datf(m) using 1:(column(3*k-1)):(column(3*k)):(column(3*k+1)) with yerrorlines lw 2 dt k pt mpoint(m) ps 1.0 lc rgb mcolor(m) title (k == 1 ? m : ''), for [k=1:3] NaN with lines lw 2 dt k lc rgb '#444444' title pct(k)"
panel(list, mk, f) = (words(list) == 0 ? "plot NaN notitle" : lines(list)) . shapes(mk, f)
load plots_dir.'/panels.gp'
