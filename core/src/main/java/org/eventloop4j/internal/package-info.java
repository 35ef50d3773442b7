/**
 * Implementation data structures of the event loop; not exported. Classes here are single-threaded unless
 * their name states otherwise ({@code Mpsc…}: many producers, one consumer).
 */
@NullMarked
package org.eventloop4j.internal;

import org.jspecify.annotations.NullMarked;
