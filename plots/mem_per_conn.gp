# mem_per_conn.gp: mem-per-conn: what one connection costs each model at the
# largest connection count, stacked: user, kernel stacks, page tables, sockets;
# horizontal bars in the C and Python panels of hbars.gp.
reset
load plots_dir.'/common.gp'
bars_file = 'mem-per-conn.bars.dat'
nparts = 4
sides = ''
ptitle(k) = k == 1 ? 'user space (PSS)' : k == 2 ? 'kernel stacks' : k == 3 ? 'page tables' : 'TCP socket buffers'
pcolor(k) = word('#4c72b0 #dd8452 #55a868 #c44e52', k)
load plots_dir.'/hbars.gp'
