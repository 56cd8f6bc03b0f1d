# vs_conns.gp: one metric per model against connections (log x): the median
# as a line, a band from the slowest to the fastest trial, in the two panels of
# panels.gp (C models, Python models). The caller sets ylab and yfmt.
@conns_axis
set offsets 0, 0, graph 0.06, graph 0.06
set ylabel ylab
set format y yfmt
if (logy) { set logscale y } else { set yrange [0:*] }
set style fill transparent solid 0.18 noborder
panel(list, mk, f) = (words(list) == 0 ? "plot NaN notitle" : \
    "plot for [m in '".list."'] datf(m) using 1:3:4 with filledcurves lc rgb mcolor(m) notitle, for [m in '".list."'] datf(m) using 1:2 with linespoints lw 2 pt mpoint(m) ps 1.2 lc rgb mcolor(m) title m") \
    . shapes(mk, f)
load plots_dir.'/panels.gp'
