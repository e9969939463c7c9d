/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The naming vocabulary of the kernel templates (<arch>/memops_template.h):
 * TPL(name) is name_<ISA>, TPL_CAT pastes two tokens after expanding them,
 * TPL_STR makes a string of an expanded token. ISA is expanded where they
 * are used, so they stay defined; each template #undefs its own
 * parameters, ISA among them.
 */
#ifndef PMEM_TEMPLATE_H
#define PMEM_TEMPLATE_H

#define TPL_CAT_(a, b) a##b
#define TPL_CAT(a, b) TPL_CAT_(a, b)
#define TPL(name) TPL_CAT(name##_, ISA)
#define TPL_STR_(x) #x
#define TPL_STR(x) TPL_STR_(x)

#endif
