# held.gp: held-<scenario>: connections held vs connections asked per model,
# log-log; the diagonal is every connection held. C models and Python models in
# the two panels of panels.gp; each break is a red cross in its model's panel
# (<stem>.marks.dat, "model: cause"; the causes are in the note under the chart).
reset
load plots_dir.'/common.gp'
# which shapes each panel needs, counted before any axis is set (stats obeys ranges)
inlist(w, list) = sum [j=1:words(list)] (word(list, j) eq w ? 1 : 0)
mmodel(s) = s[1:strstrt(s, ':') - 1]
marks_c = 0; marks_py = 0
if (marks) {
    stats stem.'.marks.dat' using (inlist(mmodel(strcol(3)), models_c)) nooutput
    marks_c = STATS_sum > 0
    stats stem.'.marks.dat' using (inlist(mmodel(strcol(3)), models_py)) nooutput
    marks_py = STATS_sum > 0
}
@conns_axis
set ylabel 'connections held (log scale)'
set logscale y
set format y '%.0s%c'
set yrange [cmin / 1.4 : cmax * 1.4]
hshape(list) = sprintf(", '%s.marks.dat' using 1:(inlist(mmodel(strcol(3)), '%s') ? $2 : NaN) with points pt 2 ps 2.2 lw 2 lc rgb '#c00000' title 'broke here (cause below)'", stem, list)
panel(list, mk, f) = "plot x with lines dt 2 lw 1 lc rgb '#999999' title 'asked'" . \
    (words(list) == 0 ? "" : ", for [m in '".list."'] datf(m) using 1:2 with linespoints lw 2 pt mpoint(m) ps 1.3 lc rgb mcolor(m) title m") . \
    (mk ? hshape(list) : "")
load plots_dir.'/panels.gp'
