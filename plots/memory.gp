# memory.gp: memory: server PSS vs connections, log-log; VSZ of the thread
# model(s) dashed (vsz_models). Bars min-max over trials. C models and Python
# models in the two panels of panels.gp; broken/flagged points of memory.marks.dat
# as shapes in their model's panel (the reasons are in the note).
reset
load plots_dir.'/common.gp'
# which shapes each panel needs, counted before any axis is set (stats obeys ranges)
inlist(w, list) = sum [j=1:words(list)] (word(list, j) eq w ? 1 : 0)
mmodel(s) = s[1:strstrt(s, ':') - 1]
isbroken(s) = strstrt(s, ': broken') > 0
marks_c = 0; marks_py = 0
if (marks) {
    do for [g=1:2] {
        lst = g == 1 ? models_c : models_py
        stats stem.'.marks.dat' using (inlist(mmodel(strcol(3)), lst) && isbroken(strcol(3))) nooutput
        b = STATS_sum > 0
        stats stem.'.marks.dat' using (inlist(mmodel(strcol(3)), lst) && !isbroken(strcol(3))) nooutput
        mk = b + 2 * (STATS_sum > 0)
        if (g == 1) { marks_c = mk } else { marks_py = mk }
    }
}
@conns_axis
set ylabel 'memory (MiB, log scale)'
set logscale y
MiB = 1048576.0
vszline(v) = sprintf(", 'memory.%s.vsz.dat' using 1:($2/MiB):($3/MiB):($4/MiB) with yerrorlines lw 2 dt 2 pt %d lc rgb '%s' title '%s VSZ'", v, mpoint(v), mcolor(v), v)
vsz_in(list) = (words(vsz_models) > 0 && inlist(word(vsz_models, 1), list) ? vszline(word(vsz_models, 1)) : '') . \
               (words(vsz_models) > 1 && inlist(word(vsz_models, 2), list) ? vszline(word(vsz_models, 2)) : '')
# which shapes each panel needs (1 broken, 2 flagged), counted in the marks file
mshape(list, kind) = sprintf(", '%s.marks.dat' using 1:(inlist(mmodel(strcol(3)), '%s') && isbroken(strcol(3)) == %d ? $2 / MiB : NaN) with points pt %d ps 2.0 lw 2 lc rgb '%s' title '%s'", stem, list, kind == 1, kind == 1 ? 2 : 8, kind == 1 ? '#c00000' : '#e07000', kind == 1 ? 'broken (see below)' : 'flagged (see below)')
mshapes(list, mk) = (int(mk) & 1 ? mshape(list, 1) : '') . (int(mk) & 2 ? mshape(list, 2) : '')
panel(list, mk, f) = (words(list) == 0 ? "plot NaN notitle" : \
    "plot for [m in '".list."'] datf(m) using 1:($2/MiB):($3/MiB):($4/MiB) with yerrorlines lw 2 pt mpoint(m) ps 1.3 lc rgb mcolor(m) title m.' PSS'" . vsz_in(list)) . mshapes(list, mk)
load plots_dir.'/panels.gp'
