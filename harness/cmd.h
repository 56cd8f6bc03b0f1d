/* cmd: the verbs of the c10k harness. Each takes argv with argv[0] = the verb
 * and returns the process exit code (0 ok, 1 failure/regression, 2 usage or
 * input error). harness/main.c dispatches; the verbs live in their own files:
 * models/env/run/sweep in harness/, compare in harness/compare/, plot in
 * harness/plot/, report in harness/report/, waits in harness/waits/. */
#ifndef C10K_CMD_H
#define C10K_CMD_H

int cmd_models(int argc, char **argv);
int cmd_env(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_hosts(int argc, char **argv);
int cmd_waits(int argc, char **argv);
int cmd_probe(int argc, char **argv);

#endif
