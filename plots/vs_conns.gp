# vs_conns.gp: one metric per model against connections (log x): the median
# as a line, a band from the slowest to the fastest trial; C models and Python
# models in two panels (models_c, models_py), broken points as crosses and
# flagged ones as triangles from <stem>-c/-py.marks.dat (their reasons are in
# the note, never drawn over the data; marks_c/marks_py: 1 broken, 2 flagged,
# 3 both). The keys sit under the panels. The caller sets ylab and yfmt.
@conns_axis
set offsets 0, 0, graph 0.06, graph 0.06
set ylabel ylab
set format y yfmt
if (logy) { set logscale y } else { set yrange [0:*] }
if (!exists("models_c")) { models_c = models; models_py = ''; marks_c = 0; marks_py = 0 }
set style fill transparent solid 0.18 noborder
set key at graph 0.5, graph -0.17 center top horizontal Left reverse noenhanced font 'Sans,9' samplen 2 maxrows 3
set bmargin 8 + note_lines
shape_b(f) = sprintf(", '%s' using 1:(strstrt(strcol(3), ': broken') ? $2 : NaN) with points pt 2 ps 2.2 lw 2 lc rgb '#c00000' title 'broken (see below)'", f)
shape_f(f) = sprintf(", '%s' using 1:(strstrt(strcol(3), ': broken') ? NaN : $2) with points pt 8 ps 2.0 lw 2 lc rgb '#e07000' title 'flagged (see below)'", f)
shapes(mk, f) = (int(mk) & 1 ? shape_b(f) : "") . (int(mk) & 2 ? shape_f(f) : "")
panel(list, mk, f) = (words(list) == 0 ? "plot NaN notitle" : \
    "plot for [m in '".list."'] datf(m) using 1:3:4 with filledcurves lc rgb mcolor(m) notitle, for [m in '".list."'] datf(m) using 1:2 with linespoints lw 2 pt mpoint(m) ps 1.2 lc rgb mcolor(m) title m") \
    . shapes(mk, f)
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
