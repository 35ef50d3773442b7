/**
 * Async iteration: {@link org.eventloop4j.stream.AsyncIterator}, async generators and async streams.
 * Iterators and generators are loop-affine: they run their bodies on the loop that created them.
 */
@NullMarked
package org.eventloop4j.stream;

import org.jspecify.annotations.NullMarked;
