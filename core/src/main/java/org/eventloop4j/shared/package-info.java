/**
 * Shared memory: {@code SharedArrayBuffer}, typed views and the ECMAScript {@code Atomics} API.
 */
@NullMarked
package org.eventloop4j.shared;

import org.jspecify.annotations.NullMarked;
