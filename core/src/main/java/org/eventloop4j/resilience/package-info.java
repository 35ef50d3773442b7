/**
 * Resilience patterns on the loop's clock: circuit breaker and batch processor.
 */
@NullMarked
package org.eventloop4j.resilience;

import org.jspecify.annotations.NullMarked;
