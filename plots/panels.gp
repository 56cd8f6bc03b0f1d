# panels.gp: the two panels of a chart against connections, C models (and
# nginx) left, Python models right, each from the caller's panel(list, mk,
# file) (a plot command for the models of list; mk: the shapes its key needs,
# 1 broken, 2 flagged, 3 both; file: its marks). Broken and flagged points are
# shapes (shapes(mk, file)), their reasons in the note under the chart; the
# keys sit under the panels. Variables: models_c, models_py, marks_c, marks_py.
if (!exists("models_c")) { models_c = models; models_py = ''; marks_c = 0; marks_py = 0 }
set key at graph 0.5, graph -0.17 center top horizontal Left reverse noenhanced font 'Sans,9' samplen 2 maxrows 3
set bmargin 8 + note_lines
shape_b(f) = sprintf(", '%s' using 1:(strstrt(strcol(3), ': broken') ? $2 : NaN) with points pt 2 ps 2.2 lw 2 lc rgb '#c00000' title 'broken (see below)'", f)
shape_f(f) = sprintf(", '%s' using 1:(strstrt(strcol(3), ': broken') ? NaN : $2) with points pt 8 ps 2.0 lw 2 lc rgb '#e07000' title 'flagged (see below)'", f)
shapes(mk, f) = (int(mk) & 1 ? shape_b(f) : "") . (int(mk) & 2 ? shape_f(f) : "")
ngroups = (words(models_c) > 0 || marks_c) + (words(models_py) > 0 || marks_py)
if (ngroups == 0) { @no_data } else {
    if (ngroups == 2) { set multiplot layout 1,2 title chart_title font 'Sans,13'; unset title }
    if (words(models_c) > 0 || marks_c) {
        if (ngroups == 2) { set title 'C models (and nginx)' font 'Sans,11' }
        cmd = panel(models_c, marks_c, stem.'-c.marks.dat')
        eval cmd
        unset label 101  # the note once, not under every panel
    }
    if (words(models_py) > 0 || marks_py) {
        if (ngroups == 2) { set title 'Python models' font 'Sans,11' }
        cmd = panel(models_py, marks_py, stem.'-py.marks.dat')
        eval cmd
    }
    if (ngroups == 2) { unset multiplot }
}
