/*
 * QMP's JSON text format: ", " and ": " separators, non-ASCII escaped
 * as \uXXXX; pretty mode indents by four spaces per level.
 */
#ifndef MONITOR_QMP_JSON_H
#define MONITOR_QMP_JSON_H

#include "qemu/osdep.h"

void qmp_json_append(GString *out, JsonNode *node, bool pretty);

/* Wrap a container in a new node, handing over the reference. */
JsonNode *qmp_node_take_object(JsonObject *obj);
JsonNode *qmp_node_take_array(JsonArray *arr);

#endif
