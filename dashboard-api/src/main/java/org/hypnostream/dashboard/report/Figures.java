package org.hypnostream.dashboard.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.hypnostream.common.event.Stage;
import org.hypnostream.common.event.StageEvent;

/**
 * The report's figures as PNG data URIs (drawn with Java2D, headless; the same image in the HTML page and the PDF):
 * the hypnogram (reviewed stages, the model's where they differ drawn faint beneath) and the hypnodensity (the
 * model's stacked stage probabilities per epoch).
 */
final class Figures {
    static final int W = 900;
    static final int H = 180;
    private static final int LEFT = 48;
    private static final Stage[] ROWS = {Stage.W, Stage.REM, Stage.N1, Stage.N2, Stage.N3, Stage.UNSCORED};
    static final Color[] STAGE_COLOURS = {new Color(0xF2C14E), new Color(0x9AD0EC), new Color(0x4F86C6),
        new Color(0x1B3B6F), new Color(0xE26D5A)};

    private Figures() {
    }

    static String hypnogram(List<StageEvent> model, List<StageEvent> reviewed) {
        BufferedImage img = canvas();
        Graphics2D g = img.createGraphics();
        setup(g);
        int n = Math.max(1, reviewed.size());
        double dx = (W - LEFT - 8) / (double) n;
        int rowH = (H - 20) / ROWS.length;
        g.setColor(Color.DARK_GRAY);
        for (int r = 0; r < ROWS.length; r++) {
            g.drawString(ROWS[r] == Stage.UNSCORED ? "?" : ROWS[r].name(), 6, 14 + r * rowH + rowH / 2);
        }
        g.setStroke(new BasicStroke(3f));
        for (int i = 0; i < reviewed.size(); i++) {
            Stage m = model.get(i).stage();
            Stage r = reviewed.get(i).stage();
            int x = LEFT + (int) Math.round(i * dx);
            int w = Math.max(1, (int) Math.round(dx));
            if (m != r) {
                g.setColor(new Color(200, 200, 200));
                g.fillRect(x, 10 + row(m) * rowH + rowH / 2 - 2, w, 4);
            }
            g.setColor(r == Stage.UNSCORED ? Color.GRAY : r == Stage.REM ? new Color(0xC0392B) : Color.BLACK);
            g.fillRect(x, 10 + row(r) * rowH + rowH / 2 - 2, w, 4);
        }
        g.dispose();
        return dataUri(img);
    }

    static String hypnodensity(List<StageEvent> model) {
        BufferedImage img = canvas();
        Graphics2D g = img.createGraphics();
        setup(g);
        int n = Math.max(1, model.size());
        double dx = (W - LEFT - 8) / (double) n;
        int plotH = H - 20;
        for (int i = 0; i < model.size(); i++) {
            List<Double> p = model.get(i).probabilities();
            int x = LEFT + (int) Math.round(i * dx);
            int w = Math.max(1, (int) Math.ceil(dx));
            if (p.isEmpty()) {
                g.setColor(Color.LIGHT_GRAY);
                g.fillRect(x, 10, w, plotH);
                continue;
            }
            double y = 10;
            for (int k = 0; k < p.size(); k++) {
                int h = (int) Math.round(p.get(k) * plotH);
                g.setColor(STAGE_COLOURS[k]);
                g.fillRect(x, (int) Math.round(y), w, h);
                y += p.get(k) * plotH;
            }
        }
        g.setColor(Color.DARK_GRAY);
        g.drawString("1", 30, 20);
        g.drawString("0", 30, H - 10);
        g.dispose();
        return dataUri(img);
    }

    private static int row(Stage s) {
        for (int r = 0; r < ROWS.length; r++) {
            if (ROWS[r] == s) {
                return r;
            }
        }
        return ROWS.length - 1;
    }

    private static BufferedImage canvas() {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        g.dispose();
        return img;
    }

    private static void setup(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    }

    private static String dataUri(BufferedImage img) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(b.toByteArray());
    }
}
