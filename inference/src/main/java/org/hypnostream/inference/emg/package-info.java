/**
 * Needle-EMG neuromuscular screening (issue 7): the ALSNet-style model {@code models/emg-alsnet-v2}
 * ({@link org.hypnostream.inference.emg.EmgScreeningModel}), per-recording aggregation
 * ({@link org.hypnostream.inference.emg.RecordingAggregator}), streaming events
 * ({@link org.hypnostream.inference.emg.EmgSegmentScreening}) and the offline evaluation behind
 * {@code hypnostream evaluate emg} ({@link org.hypnostream.inference.emg.EmgEvaluation}). Training, protocol and
 * figures: training/emg/README.md and training/emg/report.md.
 */
package org.hypnostream.inference.emg;
