# waits.gp: waits: the asyncio guides' experiment (c10k waits). Left: wall time
# of the Python clients against N, the guide's figures as open markers; right:
# the client's memory per request in flight (C clients as the floor).
# The driver sets wall_clients, mem_clients (space separated keys), ns (the N
# measured) and wait_s besides what common.gp reads.
reset
load plots_dir.'/common.gp'
set datafile missing '?'
nmin = real(word(ns, 1)); nmax = real(word(ns, words(ns)))
n_axis = "set logscale x; set xtics (); do for [w in ns] { set xtics add (w real(w)) }; set xrange [nmin / 1.3 : nmax * 1.3]; set xlabel 'N requests at once (log scale)'"
kmin(v) = v > 0.1 ? v : 0.1
if (words(wall_clients) + words(mem_clients) == 0) { @no_data; exit }
set multiplot layout 1,2 title chart_title font 'Sans,13'
unset title
# left: wall time
@n_axis
set logscale y
set yrange [wait_s / 2 : nmax * wait_s * 10]
set ylabel 'wall time (s, log scale)'
set key top left inside Left reverse noenhanced box opaque font 'Sans,9'
set title 'wall time' font 'Sans,11'
plot for [c in wall_clients] datf(c) using 1:2 with linespoints lw 2 pt mpoint(c) ps 1.1 lc rgb mcolor(c) title c, \
     'waits.guide.dat' using 1:2 with points pt 4 ps 1.8 lw 2 lc rgb '#222222' title 'guide: one after another', \
     'waits.guide.dat' using 1:3 with points pt 6 ps 1.8 lw 2 lc rgb '#222222' title 'guide: asyncio'
unset label 101  # the note once, not under both panels
# right: memory per request in flight
@n_axis
set yrange [0.05 : 100000]
set ylabel 'client memory per request in flight (KiB, log)'
set key top right inside Left reverse noenhanced box opaque font 'Sans,9'
set title 'client memory per request' font 'Sans,11'
plot for [c in mem_clients] datf(c) using 1:(kmin($3)) with linespoints lw 2 pt mpoint(c) ps 1.1 lc rgb mcolor(c) title c
unset multiplot
