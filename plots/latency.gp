# latency.gp: latency-<scenario>: small multiples, one column per percentile
# (p50, p99, p99.9) and one row per language (C models and nginx, Python
# models), so a panel holds one line per model (about six); one log y scale
# for every panel; bars min-max over trials. Each row's key names its models
# (colour and shape) once; broken and flagged points are shapes from the
# row's <stem>-c / -py .marks.dat (y of p50 in column 2, p99 and p99.9 in 6
# and 7), their reasons in the note.
reset
load plots_dir.'/common.gp'
if (!exists("models_c")) { models_c = models; models_py = ''; marks_c = 0; marks_py = 0 }
pct(k) = word('p50 p99 p99.9', k)
ycol(k) = k == 1 ? 2 : 4 + k
# one y range for all six panels: the lowest min and highest max of every model
ylo = 1e300; yhi = 0
do for [m in models] {
    do for [k=1:3] {
        stats datf(m) using (column(3*k)) nooutput
        ylo = STATS_min > 0 && STATS_min < ylo ? STATS_min : ylo
        stats datf(m) using (column(3*k+1)) nooutput
        yhi = STATS_max > yhi ? STATS_max : yhi
    }
}
shape_b(f, k) = sprintf(", '%s' using 1:(strstrt(strcol(3), ': broken') ? column(%d) : NaN) with points pt 2 ps 2.0 lw 2 lc rgb '#c00000' title (%d == 3 ? 'broken (see below)' : '')", f, ycol(k), k)
shape_f(f, k) = sprintf(", '%s' using 1:(strstrt(strcol(3), ': broken') ? NaN : column(%d)) with points pt 8 ps 1.8 lw 2 lc rgb '#e07000' title (%d == 3 ? 'flagged (see below)' : '')", f, ycol(k), k)
shapes(mk, f, k) = (int(mk) & 1 ? shape_b(f, k) : "") . (int(mk) & 2 ? shape_f(f, k) : "")
lines(list, k) = "plot for [m in '".list."'] datf(m) using 1:(column(3*".k."-1)):(column(3*".k.")):(column(3*".k."+1)) with yerrorlines lw 2 pt mpoint(m) ps 1.0 lc rgb mcolor(m) title (".k." == 3 ? m : '')"
panel(list, mk, f, k) = (words(list) == 0 ? "plot NaN notitle" : lines(list, k)) . shapes(mk, f, k)
has_c = words(models_c) > 0 || marks_c
has_py = words(models_py) > 0 || marks_py
nrow = has_c + has_py
if (nrow == 0) { @no_data } else {
    bot = 0.1 + 0.024 * note_lines
    set multiplot layout nrow, 3 title chart_title font 'Sans,13' margins 0.09, 0.81, bot, 0.88 spacing 0.035, 0.1
    unset title
    @conns_axis
    set logscale y
    set format y '%.0s%c'
    if (yhi > 0) { set yrange [ylo / 1.5 : yhi * 1.5] }
    set xtics font 'Sans,9'
    set ytics font 'Sans,9'
    set key at screen 0.825, graph 1 left top vertical Left reverse noenhanced font 'Sans,9' samplen 2 spacing 1.1
    do for [g=1:2] {
        list = g == 1 ? models_c : models_py
        mk = g == 1 ? marks_c : marks_py
        if (g == 1 && has_c || g == 2 && has_py) {
            do for [k=1:3] {
                # column titles on the first row; the row's name and unit on its first panel
                if (g == 1 || !has_c) { set title pct(k).(k == 1 ? ' (median)' : '') font 'Sans,11' } else { unset title }
                if (k == 1) { set ylabel (g == 1 ? 'C models (and nginx)' : 'Python models')."\nlatency (µs, log scale)" font 'Sans,10' } else { unset ylabel }
                set format y (k == 1 ? '%.0s%c' : '')
                if (g == 2 || !has_py) { set xlabel 'connections (log scale)' font 'Sans,9' } else { unset xlabel }
                cmd = panel(list, mk, stem.(g == 1 ? '-c' : '-py').'.marks.dat', k)
                eval cmd
                unset label 101  # the note once, not under every panel
            }
        }
    }
    unset multiplot
}
