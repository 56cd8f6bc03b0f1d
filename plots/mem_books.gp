# mem_books.gp: mem-books: what one idle connection costs each model's server
# and, in its own bar, c10k-load's side, stacked by part (slab included);
# horizontal bars in the C and Python panels of hbars.gp.
reset
load plots_dir.'/common.gp'
bars_file = 'mem-books.bars.dat'
nparts = 7
sides = 'server client'
ptitle(k) = \
    k == 1 ? 'user space' : k == 2 ? 'kernel stacks' : k == 3 ? 'TCP page fragments' : \
    k == 4 ? 'page tables' : k == 5 ? 'slab (socket, inode, file...)' : \
    k == 6 ? 'socket buffers' : 'other'
pcolor(k) = word('#4c72b0 #dd8452 #da8bc3 #55a868 #8172b3 #c44e52 #937860', k)
load plots_dir.'/hbars.gp'
