# timeline.gp: timeline: one point's trial second by second on the server's
# clock: connections (load), RSS (probe) and throughput (load); the measured
# window [ws, we] shaded.
reset
load plots_dir.'/common.gp'
unset title
set key off
if (!have_data) { @no_data } else {
    set multiplot layout 3, 1 title chart_title font 'Sans,13' margins 0.1, 0.95, 0.1, 0.9 spacing 0, 0.04
    set object 1 rect from ws, graph 0 to we, graph 1 fc rgb '#e8eef8' fs solid noborder behind
    set xrange [0:*]
    set format x ''
    set ylabel 'connections'
    set yrange [0:*]
    set label 103 'measured window' at ws, graph 0.45 offset 0.5, 0 font 'Sans,9' tc rgb '#4060a0'
    plot 'timeline.load.dat' using 1:2 with linespoints pt 7 ps 0.8 lw 2 lc rgb '#1f77b4'
    unset label 103
    unset label 101  # the note once
    set ylabel 'server RSS (MiB)'
    plot 'timeline.probe.dat' using 1:($2/1048576.0) with lines lw 2 lc rgb '#d62728'
    set format x '%g'
    set xlabel 'time since the server started (s)'
    set ylabel 'throughput (requests/s)'
    set format y '%.0s%c'
    plot 'timeline.load.dat' using 1:3 with linespoints pt 7 ps 0.8 lw 2 lc rgb '#2ca02c'
    unset multiplot
}
