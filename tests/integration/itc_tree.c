/* itc_tree: a server's process tree read from /proc (the server, its
 * children, grandchildren...), for the leak checks of the integration tests
 * and the memory checks of the hostile ones. */
#include "itc.h"

#include <ctype.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

pid_t itc_ppid(pid_t pid)
{
    char path[64], buf[512];
    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *p = strrchr(buf, ')'); /* the command name may hold spaces */
    char state;
    int ppid;
    if (!p || sscanf(p + 1, " %c %d", &state, &ppid) != 2) return -1;
    return (pid_t)ppid;
}

size_t itc_proc_tree(pid_t root, pid_t *out, size_t max)
{
    size_t n = 0;
    out[n++] = root;
    for (size_t grew = 1; grew;) {
        grew = 0;
        DIR *d = opendir("/proc");
        struct dirent *e;
        while (d && (e = readdir(d)) && n < max) {
            if (!isdigit((unsigned char)e->d_name[0])) continue;
            pid_t pid = (pid_t)atoi(e->d_name), pp = itc_ppid(pid);
            bool parent_in = false, known = false;
            for (size_t i = 0; i < n; i++) {
                parent_in |= out[i] == pp;
                known |= out[i] == pid;
            }
            if (parent_in && !known) {
                out[n++] = pid;
                grew = 1;
            }
        }
        if (d) closedir(d);
    }
    return n;
}
