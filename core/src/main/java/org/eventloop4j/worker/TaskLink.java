package org.eventloop4j.worker;

import org.jspecify.annotations.Nullable;

/** A link of {@link TaskQueue}'s FIFO; a {@link PoolTask} is its own link, so queueing allocates nothing. */
class TaskLink {
  /** The next link of the FIFO; written once, by the producer that queues that next link. */
  volatile @Nullable TaskLink nextQueued;
}
