# books_parts.gp: the parts of the memory books in the order of
# harness/plot/books.c's pl_books_parts: their count, titles and colours,
# loaded by mem_books.gp and mem_per_conn.gp.
nparts = 7
ptitle(k) = \
    k == 1 ? 'user space' : k == 2 ? 'kernel stacks' : k == 3 ? 'TCP page fragments' : \
    k == 4 ? 'page tables' : k == 5 ? 'slab (socket, inode, file...)' : \
    k == 6 ? 'socket buffers' : 'other'
pcolor(k) = word('#4c72b0 #dd8452 #da8bc3 #55a868 #8172b3 #c44e52 #937860', k)
