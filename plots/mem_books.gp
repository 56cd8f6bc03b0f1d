# mem_books.gp: mem-books: what one idle connection costs each model's server
# and, in its own bar, c10k-load's side, stacked by part (slab included);
# horizontal bars in the C and Python panels of hbars.gp.
reset
load plots_dir.'/common.gp'
bars_file = 'mem-books.bars.dat'
sides = 'server client'
load plots_dir.'/books_parts.gp'
load plots_dir.'/hbars.gp'
