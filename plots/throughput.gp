# throughput.gp: throughput-<scenario>: requests/s vs connections per model.
reset
load plots_dir.'/common.gp'
ylab = 'throughput (requests/s)'
yfmt = '%.1s%c'
load plots_dir.'/vs_conns.gp'
