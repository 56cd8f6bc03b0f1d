# latency.gp: latency-<scenario>: p50 (solid), p99 (dashed), p99.9 (dotted) per
# model vs connections, log y, bars min-max over trials; C models and Python
# models in two panels. The key names each model once (its colour) and the
# three line styles once; broken/flagged points are shapes (reasons below).
reset
load plots_dir.'/common.gp'
@conns_axis
set ylabel 'latency (µs, log scale)'
set logscale y
set format y '%.0s%c'
if (!exists("models_c")) { models_c = models; models_py = ''; marks_c = 0; marks_py = 0 }
set key at graph 0.5, graph -0.17 center top horizontal Left reverse noenhanced font 'Sans,9' samplen 2 maxrows 3
set bmargin 8 + note_lines
pct(k) = word('p50 p99 p99.9', k)
shape_b(f) = sprintf(", '%s' using 1:(strstrt(strcol(3), ': broken') ? $2 : NaN) with points pt 2 ps 2.2 lw 2 lc rgb '#c00000' title 'broken (see below)'", f)
shape_f(f) = sprintf(", '%s' using 1:(strstrt(strcol(3), ': broken') ? NaN : $2) with points pt 8 ps 2.0 lw 2 lc rgb '#e07000' title 'flagged (see below)'", f)
shapes(mk, f) = (int(mk) & 1 ? shape_b(f) : "") . (int(mk) & 2 ? shape_f(f) : "")
lines(list) = "plot for [m in '".list."'] for [k=1:3] datf(m) using 1:(column(3*k-1)):(column(3*k)):(column(3*k+1)) with yerrorlines lw 2 dt k pt mpoint(m) ps 1.0 lc rgb mcolor(m) title (k == 1 ? m : ''), for [k=1:3] NaN with lines lw 2 dt k lc rgb '#444444' title pct(k)"
panel(list, mk, f) = (words(list) == 0 ? "plot NaN notitle" : lines(list)) . shapes(mk, f)
ngroups = (words(models_c) > 0 || marks_c) + (words(models_py) > 0 || marks_py)
if (ngroups == 0) { @no_data } else {
    if (ngroups == 2) { set multiplot layout 1,2 title chart_title font 'Sans,13'; unset title }
    if (words(models_c) > 0 || marks_c) {
        if (ngroups == 2) { set title 'C models (and nginx)' font 'Sans,11' }
        cmd = panel(models_c, marks_c, stem.'-c.marks.dat')
        eval cmd
    }
    if (words(models_py) > 0 || marks_py) {
        if (ngroups == 2) { set title 'Python models' font 'Sans,11' }
        cmd = panel(models_py, marks_py, stem.'-py.marks.dat')
        eval cmd
    }
    if (ngroups == 2) { unset multiplot }
}
