/*
 * Intrusive lists (QLIST) and tail queues (QTAILQ) under the names used by
 * the headers, built on <sys/queue.h>. Removed tail queue elements are
 * marked so QTAILQ_IN_USE can tell whether an element is linked.
 */
#ifndef QEMU_QUEUE_H
#define QEMU_QUEUE_H

#include <sys/queue.h>

#define QTAILQ_HEAD(name, type) TAILQ_HEAD(name, type)
#define QTAILQ_HEAD_INITIALIZER(head) TAILQ_HEAD_INITIALIZER(head)
#define QTAILQ_ENTRY(type) TAILQ_ENTRY(type)

#define QTAILQ_INIT(head) TAILQ_INIT(head)
#define QTAILQ_EMPTY(head) TAILQ_EMPTY(head)
#define QTAILQ_FIRST(head) TAILQ_FIRST(head)
#define QTAILQ_NEXT(elm, field) TAILQ_NEXT(elm, field)
#define QTAILQ_IN_USE(elm, field) ((elm)->field.tqe_prev != NULL)

#define QTAILQ_INSERT_HEAD(head, elm, field) TAILQ_INSERT_HEAD(head, elm, field)
#define QTAILQ_INSERT_TAIL(head, elm, field) TAILQ_INSERT_TAIL(head, elm, field)
#define QTAILQ_INSERT_AFTER(head, listelm, elm, field)                         \
    TAILQ_INSERT_AFTER(head, listelm, elm, field)
#define QTAILQ_INSERT_BEFORE(listelm, elm, field)                              \
    TAILQ_INSERT_BEFORE(listelm, elm, field)

#define QTAILQ_REMOVE(head, elm, field)                                        \
    do {                                                                       \
        TAILQ_REMOVE(head, elm, field);                                        \
        (elm)->field.tqe_next = NULL;                                          \
        (elm)->field.tqe_prev = NULL;                                          \
    } while (0)

#define QTAILQ_FOREACH(var, head, field) TAILQ_FOREACH(var, head, field)
/* Allows removing var inside the loop body. */
#define QTAILQ_FOREACH_SAFE(var, head, field, next_var)                        \
    for ((var) = TAILQ_FIRST(head);                                            \
         (var) && ((next_var) = TAILQ_NEXT(var, field), 1);                    \
         (var) = (next_var))

/* Doubly linked lists (QLIST_*), on <sys/queue.h> LIST_*. */
#define QLIST_HEAD(name, type) LIST_HEAD(name, type)
#define QLIST_ENTRY(type) LIST_ENTRY(type)
#define QLIST_INIT(head) LIST_INIT(head)
#define QLIST_EMPTY(head) LIST_EMPTY(head)
#define QLIST_FIRST(head) LIST_FIRST(head)
#define QLIST_NEXT(elm, field) LIST_NEXT(elm, field)
#define QLIST_INSERT_HEAD(head, elm, field) LIST_INSERT_HEAD(head, elm, field)
#define QLIST_INSERT_AFTER(listelm, elm, field)                                \
    LIST_INSERT_AFTER(listelm, elm, field)
#define QLIST_REMOVE(elm, field) LIST_REMOVE(elm, field)
#define QLIST_FOREACH(var, head, field) LIST_FOREACH(var, head, field)
/* Allows removing var inside the loop body. */
#define QLIST_FOREACH_SAFE(var, head, field, next_var)                         \
    for ((var) = LIST_FIRST(head);                                             \
         (var) && ((next_var) = LIST_NEXT(var, field), 1);                     \
         (var) = (next_var))

#endif
