/*
 * Device GPIO lines: named or unnamed lists of inputs (handlers the device
 * owns) and outputs (the device's qemu_irq fields that others connect),
 * and their interception by qtest.
 */
#include "qemu/osdep.h"
#include "hw/core/qdev.h"
#include "core-internal.h"

/* Wraps one input so a test observes it after the device has. */
typedef struct GPIOInHook {
    qemu_irq_handler orig_handler;
    void *orig_opaque;
    qemu_irq_handler handler;
    void *opaque;
} GPIOInHook;

typedef struct GPIOIntercept {
    qemu_irq *out; /* the lines now driven by the outputs */
    int num_out;
    GPIOInHook *in;
    int num_in;
} GPIOIntercept;

NamedGPIOList *qdev_get_named_gpio_list(DeviceState *dev, const char *name)
{
    NamedGPIOList *ngl;

    QLIST_FOREACH(ngl, &dev->gpios, node)
    {
        if (g_strcmp0(name, ngl->name) == 0) {
            return ngl;
        }
    }
    ngl = g_new0(NamedGPIOList, 1);
    ngl->name = g_strdup(name);
    QLIST_INSERT_HEAD(&dev->gpios, ngl, node);
    return ngl;
}

void qdev_init_gpio_in_named(DeviceState *dev, qemu_irq_handler handler,
                             const char *name, int n)
{
    NamedGPIOList *ngl = qdev_get_named_gpio_list(dev, name);

    g_assert(!ngl->intercept || !ngl->intercept->in);
    ngl->in = g_renew(qemu_irq, ngl->in, ngl->num_in + n);
    for (int i = 0; i < n; i++) {
        ngl->in[ngl->num_in + i] =
            qemu_allocate_irq(handler, dev, ngl->num_in + i);
    }
    ngl->num_in += n;
}

void qdev_init_gpio_out_named(DeviceState *dev, qemu_irq *pins,
                              const char *name, int n)
{
    NamedGPIOList *ngl = qdev_get_named_gpio_list(dev, name);

    ngl->out = g_renew(qemu_irq *, ngl->out, ngl->num_out + n);
    for (int i = 0; i < n; i++) {
        ngl->out[ngl->num_out + i] = &pins[i];
    }
    ngl->num_out += n;
}

void qdev_init_gpio_in(DeviceState *dev, qemu_irq_handler handler, int n)
{
    qdev_init_gpio_in_named(dev, handler, NULL, n);
}

void qdev_init_gpio_out(DeviceState *dev, qemu_irq *pins, int n)
{
    qdev_init_gpio_out_named(dev, pins, NULL, n);
}

qemu_irq qdev_get_gpio_in_named(DeviceState *dev, const char *name, int n)
{
    NamedGPIOList *ngl = qdev_get_named_gpio_list(dev, name);

    g_assert(n >= 0 && n < ngl->num_in);
    return ngl->in[n];
}

qemu_irq qdev_get_gpio_in(DeviceState *dev, int n)
{
    return qdev_get_gpio_in_named(dev, NULL, n);
}

void qdev_connect_gpio_out_named(DeviceState *dev, const char *name, int n,
                                 qemu_irq pin)
{
    NamedGPIOList *ngl = qdev_get_named_gpio_list(dev, name);

    g_assert(n >= 0 && n < ngl->num_out);
    *ngl->out[n] = pin;
}

void qdev_connect_gpio_out(DeviceState *dev, int n, qemu_irq pin)
{
    qdev_connect_gpio_out_named(dev, NULL, n, pin);
}

static GPIOIntercept *gpio_intercept(NamedGPIOList *ngl)
{
    if (!ngl->intercept) {
        ngl->intercept = g_new0(GPIOIntercept, 1);
    }
    return ngl->intercept;
}

int qdev_intercept_gpio_out(DeviceState *dev, const char *name,
                            qemu_irq_handler handler, void *opaque)
{
    NamedGPIOList *ngl = qdev_get_named_gpio_list(dev, name);
    GPIOIntercept *ic = gpio_intercept(ngl);

    qemu_free_irqs(ic->out, ic->num_out);
    ic->out = qemu_allocate_irqs(handler, opaque, ngl->num_out);
    ic->num_out = ngl->num_out;
    for (int i = 0; i < ngl->num_out; i++) {
        *ngl->out[i] = ic->out[i];
    }
    return ngl->num_out;
}

static void gpio_in_hook(void *opaque, int n, int level)
{
    GPIOInHook *hook = opaque;

    hook->orig_handler(hook->orig_opaque, n, level);
    hook->handler(hook->opaque, n, level);
}

int qdev_intercept_gpio_in(DeviceState *dev, const char *name,
                           qemu_irq_handler handler, void *opaque)
{
    NamedGPIOList *ngl = qdev_get_named_gpio_list(dev, name);
    GPIOIntercept *ic = gpio_intercept(ngl);

    if (!ic->in) {
        ic->in = g_new0(GPIOInHook, ngl->num_in);
        ic->num_in = ngl->num_in;
        for (int i = 0; i < ngl->num_in; i++) {
            ic->in[i].orig_handler = ngl->in[i]->handler;
            ic->in[i].orig_opaque = ngl->in[i]->opaque;
            ngl->in[i]->handler = gpio_in_hook;
            ngl->in[i]->opaque = &ic->in[i];
        }
    }
    /* A second interception replaces the observer. */
    for (int i = 0; i < ic->num_in; i++) {
        ic->in[i].handler = handler;
        ic->in[i].opaque = opaque;
    }
    return ic->num_in;
}

void qdev_free_gpios(DeviceState *dev)
{
    NamedGPIOList *ngl;

    while ((ngl = QLIST_FIRST(&dev->gpios))) {
        QLIST_REMOVE(ngl, node);
        if (ngl->intercept) {
            qemu_free_irqs(ngl->intercept->out, ngl->intercept->num_out);
            g_free(ngl->intercept->in);
            g_free(ngl->intercept);
        }
        qemu_free_irqs(ngl->in, ngl->num_in);
        g_free(ngl->out);
        g_free(ngl->name);
        g_free(ngl);
    }
}
