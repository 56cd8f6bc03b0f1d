/* signals: SIGTERM/SIGINT -> a stop flag plus a self-pipe event loops can
 * poll; SIGPIPE ignored. Try: c10k-server-epoll & kill -TERM $! */
#include "srv.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static atomic_bool signals_stop;
static int signals_pipe[2] = {-1, -1};

static void signals_on_stop(int sig)
{
    (void)sig;
    int saved = errno;
    atomic_store(&signals_stop, true);
    if (signals_pipe[1] >= 0) {
        ssize_t n = write(signals_pipe[1], "x", 1);
        (void)n; /* a full pipe is already readable */
    }
    errno = saved;
}

int srv_signals_init(void)
{
    if (signals_pipe[0] < 0 && pipe2(signals_pipe, O_CLOEXEC | O_NONBLOCK) != 0) return -errno;
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = signals_on_stop;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: blocking accept()/read() return EINTR */
    if (sigaction(SIGTERM, &sa, NULL) != 0 || sigaction(SIGINT, &sa, NULL) != 0) return -errno;
    sa.sa_handler = SIG_IGN;
    if (sigaction(SIGPIPE, &sa, NULL) != 0) return -errno;
    return 0;
}

bool srv_stopping(void)
{
    return atomic_load(&signals_stop);
}

int srv_stop_fd(void)
{
    return signals_pipe[0];
}

int srv_signals_reset(void)
{
    for (int i = 0; i < 2; i++) {
        if (signals_pipe[i] >= 0) close(signals_pipe[i]);
        signals_pipe[i] = -1;
    }
    atomic_store(&signals_stop, false);
    return srv_signals_init();
}
