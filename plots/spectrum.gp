# spectrum.gp: spectrum-<scenario>: latency by percentile (HdrHistogram style):
# x = 1/(1-p) on a log axis labelled with the percentile, y = latency (log);
# C models and Python models in the two panels of panels.gp.
reset
load plots_dir.'/common.gp'
set xlabel 'percentile'
set logscale x
set xtics ('50%%' 2, '90%%' 10, '99%%' 100, '99.9%%' 1000, '99.99%%' 10000, \
           '99.999%%' 100000, '99.9999%%' 1000000) font ',9'
set ylabel 'latency (µs, log scale)'
set logscale y
set format y '%.0s%c'
marks_c = 0; marks_py = 0
panel(list, mk, f) = (words(list) == 0 ? "plot NaN notitle" : \
    "plot for [m in '".list."'] datf(m) using 2:1 with steps lw 2 lc rgb mcolor(m) title m")
load plots_dir.'/panels.gp'
