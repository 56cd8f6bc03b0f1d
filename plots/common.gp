# common.gp: what every c10k chart shares (loaded first by each script).
# The driver DIR/plots/<stem>.gp sets: stem, chart_title, models (those with
# data), all_models (fixes each model's colour), note, logy, marks, plots_dir.
set encoding utf8
if (!exists("marks")) { marks = 0 }
if (!exists("vsz_models")) { vsz_models = "" }
if (!exists("have_data")) { have_data = 1 }
colors = '#1f77b4 #d62728 #2ca02c #9467bd #ff7f0e #8c564b #e377c2 #17becf #7f7f7f #bcbd22'
mi(name) = sum [j=1:words(all_models)] (word(all_models, j) eq name ? j : 0)
mcolor(name) = word(colors, (mi(name) + 9) % 10 + 1)
mpoint(name) = (mi(name) - 1) % 6 * 2 + 5
datf(name) = sprintf('%s.%s.dat', stem, name)
set title chart_title font 'Sans,13'
set key outside right top vertical Left reverse noenhanced
set grid xtics ytics mxtics mytics lc rgb '#c8c8c8' dt 3
set border 3
set tics nomirror
if (!exists("note_lines")) { note_lines = 0 }
set bmargin 4 + note_lines
if (strlen(note) > 0) {
    set label 101 note at screen 0.01, screen 0.02 + 0.022 * (note_lines - 1) left font 'Sans,9' tc rgb '#555555'
}
# Broken and flagged points: a red circle and the reason, from <stem>.marks.dat.
# The label leans away from the chart's edge: column 5 = -1 ends at the point,
# 1 starts there, 0 centred above it (the other two draw ''; a labels plot
# with no valid point crashes gnuplot 5.4). yscale scales y (memory: to MiB).
if (!exists("yscale")) { yscale = 1.0 }
mark_lbl(a, pos) = sprintf(", '' using 1:($4 / yscale):($5 == %d ? stringcolumn(3) : '') with labels tc rgb '#b00000' offset %s %s font 'Sans,9' notitle", a, a < 0 ? "-1.2,1" : a > 0 ? "1.2,1" : "0,1.3", pos)
marks_cmd = marks ? sprintf(", '%s.marks.dat' using 1:($2 / yscale) with points pt 6 ps 2.5 lc rgb 'red' notitle", stem).mark_lbl(-1, 'right').mark_lbl(1, 'left').mark_lbl(0, 'center') : ''
# no_data: draws an empty frame that says so.
no_data = "set label 102 'no data to draw' at graph 0.5, graph 0.5 center; unset logscale; unset xtics; unset ytics; set xrange [0:1]; set yrange [0:1]; plot 2 notitle"
# conns_axis: a log x axis ticked at the measured connection counts, a margin each side.
conns_axis = "set logscale x; set xtics (); do for [w in conns] { set xtics add (w real(w)) }; cmin = real(word(conns, 1)); cmax = real(word(conns, words(conns))); set xrange [cmin / 1.4 : cmax * 1.4]; set xlabel 'concurrent connections (log scale)'"
