package org.hypnostream.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hypnostream.common.data.SharedData;
import org.hypnostream.common.time.Micros;
import org.hypnostream.common.wire.ChannelType;
import org.hypnostream.common.wire.SampleBlock;
import org.hypnostream.ingest.edf.EdfFile;
import org.hypnostream.ingest.edf.EdfReader;
import org.hypnostream.ingest.wfdb.WfdbReader;
import org.hypnostream.ingest.wfdb.WfdbRecord;
import org.junit.jupiter.api.Test;

class ReplaySourceTest {

    @Test
    void sleepEdfSnippetReplaysAsOneSecondBlocksWithThePhysicalValues() throws IOException {
        EdfFile f = EdfReader.read(SharedData.data("snippets", "edfio_short_psg_SC4001E0_first5min.edf"));
        Instant start = ReplaySource.startOf(f);
        assertThat(start).isEqualTo(Instant.parse("1989-04-24T16:13:00Z"));
        ReplaySource r = ReplaySource.of("bed-1", f, start);
        assertThat(r.sourceIds()).containsExactly("bed-1/100hz");
        List<SampleBlock> blocks = drain(r);
        assertThat(blocks).hasSize(300);
        double[] fpz = f.signal("EEG Fpz-Cz").physical();
        for (int i = 0; i < blocks.size(); i++) {
            SampleBlock b = blocks.get(i);
            assertThat(b.seq()).isEqualTo(i);
            assertThat(b.deviceTimeMicros()).isEqualTo(Micros.of(start) + i * 1_000_000L);
            assertThat(b.channels()).extracting(c -> c.label()).containsExactly("EEG Fpz-Cz", "EEG Pz-Oz", "EOG horizontal");
            assertThat(b.samplesPerChannel()).isEqualTo(100);
            for (int k = 0; k < 100; k++) {
                assertThat(b.samples()[0][k]).isEqualTo((float) fpz[i * 100 + k]);
            }
        }
        assertThat(blocks.get(0).channels().get(2).type()).isEqualTo(ChannelType.EOG);
    }

    @Test
    void noxFileGivesOneSourcePerRateWithLegsInMicrovolts() throws IOException {
        EdfFile f = EdfReader.read(SharedData.data("snippets", "rsleep_subject1_NoxA1_2min_legEMG.edf"));
        ReplaySource r = ReplaySource.of("bed-2", f, Instant.parse("2026-01-01T22:00:00Z"), List.of("Left Leg", "Right Leg", "C3-M2"));
        assertThat(r.sourceIds()).containsExactly("bed-2/200hz");
        List<SampleBlock> blocks = drain(r);
        assertThat(blocks).hasSize(120);
        SampleBlock b = blocks.get(5);
        assertThat(b.channels()).extracting(c -> c.type()).containsExactly(ChannelType.EEG, ChannelType.EMG_LEG_RIGHT, ChannelType.EMG_LEG_LEFT);
        assertThat(b.samples()[2][0]).isEqualTo((float) (f.signal("Left Leg").physical()[1000] * 1e6));
        ReplaySource all = ReplaySource.of("bed-3", f, Instant.EPOCH);
        Map<String, Long> perSource = new HashMap<>();
        for (SampleBlock x : drain(all)) {
            assertThat(x.seq()).isEqualTo(perSource.getOrDefault(x.sourceId(), 0L));
            perSource.merge(x.sourceId(), 1L, Long::sum);
            assertThat(x.channels()).allMatch(c -> ChannelTypes.isElectrophysiology(c.type()));
            assertThat(x.channels()).allMatch(c -> c.unit().equals("uV"));
        }
        assertThat(perSource).containsOnlyKeys("bed-3/200hz");
        assertThatThrownBy(() -> ReplaySource.of("bed-4", f, Instant.EPOCH, List.of("No Such")))
                .hasMessageContaining("bed-4").hasMessageContaining("No Such");
    }

    @Test
    void wfdbNeedleEmgReplaysWithFractionalRate() throws IOException {
        WfdbRecord rec = WfdbReader.read(SharedData.data("emglab-n2001", "N2001A01BB01.hea"));
        ReplaySource r = ReplaySource.of("emg-1", rec, Instant.EPOCH);
        List<SampleBlock> blocks = drain(r);
        long total = 0;
        for (SampleBlock b : blocks) {
            assertThat(b.channels().get(0).type()).isEqualTo(ChannelType.EMG_NEEDLE);
            assertThat(b.sampleRateHz()).isEqualTo(23437.5);
            assertThat(b.deviceTimeMicros()).isEqualTo(Math.round(total * 1e6 / 23437.5));
            total += b.samplesPerChannel();
        }
        assertThat(total).isEqualTo(262_124);
        assertThat(blocks).hasSize(12);
        assertThat(blocks.get(0).samples()[0][0]).isEqualTo(rec.signals().get(0).physical()[0]);
    }

    @Test
    void labelsAreClassified() {
        assertThat(ChannelTypes.byLabel("Left Leg")).isEqualTo(ChannelType.EMG_LEG_LEFT);
        assertThat(ChannelTypes.byLabel("Leg R")).isEqualTo(ChannelType.EMG_LEG_RIGHT);
        assertThat(ChannelTypes.byLabel("EMG Leg L")).isEqualTo(ChannelType.EMG_LEG_LEFT);
        assertThat(ChannelTypes.byLabel("Leg")).isEqualTo(ChannelType.OTHER);
        assertThat(ChannelTypes.byLabel("EEG Fpz-Cz")).isEqualTo(ChannelType.EEG);
        assertThat(ChannelTypes.byLabel("C4-M1")).isEqualTo(ChannelType.EEG);
        assertThat(ChannelTypes.byLabel("E1-M2")).isEqualTo(ChannelType.EOG);
        assertThat(ChannelTypes.byLabel("EOG horizontal")).isEqualTo(ChannelType.EOG);
        assertThat(ChannelTypes.byLabel("EMG submental")).isEqualTo(ChannelType.EMG_CHIN);
        assertThat(ChannelTypes.byLabel("EMG chin")).isEqualTo(ChannelType.EMG_CHIN);
        assertThat(ChannelTypes.byLabel("ECG")).isEqualTo(ChannelType.ECG);
        assertThat(ChannelTypes.byLabel("Resp oro-nasal")).isEqualTo(ChannelType.RESP);
        assertThat(ChannelTypes.byLabel("Temp rectal")).isEqualTo(ChannelType.OTHER);
    }

    static List<SampleBlock> drain(AmplifierSource s) {
        List<SampleBlock> out = new ArrayList<>();
        for (var b = s.next(); b.isPresent(); b = s.next()) {
            out.add(b.get());
        }
        return out;
    }

}
