# vs_conns.gp: one metric per model against connections (log x), error bars
# min-max over trials. The caller sets ylab and yfmt, then loads this.
@conns_axis
set offsets 0, 0, graph 0.06, graph 0.06
set ylabel ylab
set format y yfmt
if (logy) { set logscale y } else { set yrange [0:*] }
if (words(models) == 0 && !marks) { @no_data } else { if (words(models) == 0) {
    plot NaN notitle @marks_cmd
} else {
    plot for [i=1:words(models)] datf(word(models, i)) using 1:2:3:4 with yerrorlines \
        lw 2 pt mpoint(word(models, i)) ps 1.3 lc rgb mcolor(word(models, i)) \
        title word(models, i) @marks_cmd
}
}
