# spectrum.gp: spectrum-<scenario>: latency by percentile (HdrHistogram style):
# x = 1/(1-p) on a log axis labelled with the percentile, y = latency (log).
reset
load plots_dir.'/common.gp'
set xlabel 'percentile'
set logscale x
set xtics ('0%%' 1, '50%%' 2, '90%%' 10, '99%%' 100, '99.9%%' 1000, '99.99%%' 10000, \
           '99.999%%' 100000, '99.9999%%' 1000000)
set ylabel 'latency (µs, log scale)'
set logscale y
set format y '%.0s%c'
if (words(models) == 0) { @no_data } else {
    plot for [i=1:words(models)] datf(word(models, i)) using 2:1 with steps lw 2 \
        lc rgb mcolor(word(models, i)) title word(models, i)
}
