# mem_per_conn.gp: mem-per-conn: what one connection costs each model's server
# at the largest connection count under load, stacked by the parts of its
# memory books; horizontal bars in the C and Python panels of hbars.gp.
reset
load plots_dir.'/common.gp'
bars_file = 'mem-per-conn.bars.dat'
sides = ''
load plots_dir.'/books_parts.gp'
load plots_dir.'/hbars.gp'
