/*
 * Between the qtest server (qtest.c) and its requests (qtest-requests.c).
 */
#ifndef SYSTEM_QTEST_INTERNAL_H
#define SYSTEM_QTEST_INTERNAL_H

#include "system/qtest.h"

typedef struct QTestRequest QTestRequest;
/* Returns the reply line without its newline. */
typedef char *QTestHandler(const QTestRequest *req, char **args);

struct QTestRequest {
    const char *name;
    QTestHandler *handler;
    int min_args;
    int max_args;
    unsigned size; /* access width of sized requests */
    bool needs_accel;
};

/* The request called name; NULL if unknown (or needing the accelerator). */
const QTestRequest *qtest_find_request(const char *name);
/* A new connection starts with every intercepted line low. */
void qtest_gpio_reset_levels(void);

/* Server services: an unsolicited line (IRQ) and a log remark. */
void qtest_send_line(const char *line);
void qtest_log_info(const char *text);

#endif
