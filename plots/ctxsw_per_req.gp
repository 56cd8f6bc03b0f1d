# ctxsw_per_req.gp: ctxsw-per-req-<scenario>: context switches per request (log y).
reset
load plots_dir.'/common.gp'
ylab = 'context switches per request (log scale)'
yfmt = '%g'
load plots_dir.'/vs_conns.gp'
