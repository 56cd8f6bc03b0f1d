# memory.gp: memory: server PSS vs connections, log-log; VSZ of the thread
# model(s) dashed (vsz_models). Error bars min-max over trials.
reset
load plots_dir.'/common.gp'
@conns_axis
set ylabel 'memory (MiB, log scale)'
set logscale y
MiB = 1048576.0
vsz_cmd = ''
do for [v in vsz_models] {
    vsz_cmd = vsz_cmd.sprintf(", 'memory.%s.vsz.dat' using 1:($2/MiB):($3/MiB):($4/MiB) with yerrorlines lw 2 dt 2 pt %d lc rgb '%s' title '%s VSZ'", v, mpoint(v), mcolor(v), v)
}
yscale = MiB
marks_cmd = marks ? sprintf(", '%s.marks.dat' using 1:($2 / yscale) with points pt 6 ps 2.5 lc rgb 'red' notitle", stem).mark_lbl(-1, 'right').mark_lbl(1, 'left').mark_lbl(0, 'center') : ''
if (words(models) == 0 && !marks) { @no_data } else { if (words(models) == 0) {
    plot NaN notitle @marks_cmd
} else {
    plot for [i=1:words(models)] datf(word(models, i)) using 1:($2/MiB):($3/MiB):($4/MiB) \
        with yerrorlines lw 2 pt mpoint(word(models, i)) ps 1.3 lc rgb mcolor(word(models, i)) \
        title word(models, i).' PSS' @vsz_cmd @marks_cmd
}
}
