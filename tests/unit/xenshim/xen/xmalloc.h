/* SPDX-License-Identifier: MIT */
#include "../xenshim.h"
