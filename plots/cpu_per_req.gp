# cpu_per_req.gp: cpu-per-req-<scenario>: server CPU µs per request vs connections.
reset
load plots_dir.'/common.gp'
ylab = 'server CPU time per request (µs)'
yfmt = '%g'
load plots_dir.'/vs_conns.gp'
