/**
 * Parallelism: worker pools and workers, each worker with its own event loop, talking through message ports.
 */
@NullMarked
package org.eventloop4j.worker;

import org.jspecify.annotations.NullMarked;
