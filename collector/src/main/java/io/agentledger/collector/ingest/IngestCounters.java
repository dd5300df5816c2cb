package io.agentledger.collector.ingest;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the consumers of one {@link IngestService} have read and written, for the backlog estimate:
 * spans per record (the lag is counted in records) and the rate the store drains them at.
 */
final class IngestCounters {

  private final LongAdder recordsRead = new LongAdder();
  private final LongAdder spansRead = new LongAdder();
  private final LongAdder spansWritten = new LongAdder();

  void read(int spans) {
    recordsRead.increment();
    spansRead.add(spans);
  }

  void written(int spans) {
    spansWritten.add(spans);
  }

  /** Mean spans per record read so far; 1 before the first record. */
  double spansPerRecord() {
    long records = recordsRead.sum();
    return records == 0 ? 1.0 : Math.max(1.0, (double) spansRead.sum() / records);
  }

  long spansWritten() {
    return spansWritten.sum();
  }
}
