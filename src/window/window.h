/* window.h: window service (好差评): who may take the system's moves. */
#ifndef XZ_WINDOW_H
#define XZ_WINDOW_H

/*
 * Role bits no account can hold (account.roles < 512): the moves of a
 * rectification that only the citizen's re-rating, or the leader's
 * appeal decision through its own route, may take.
 */
#define WINDOW_BY_RERATING	(1u << 29)
#define WINDOW_BY_APPEAL	(1u << 28)

#endif
