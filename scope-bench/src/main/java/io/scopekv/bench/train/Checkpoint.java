package io.scopekv.bench.train;

import io.scopekv.bench.io.AtomicFile;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything needed to continue a run: its configuration, the weights, the optimizer's moments,
 * the step count and the learning curve. Training tasks are a function of (seed, step), so no
 * random-generator state is needed. Big-endian binary, written through {@link AtomicFile} so an
 * interrupted write never replaces a good checkpoint.
 *
 * @param params {@code [layout.size()]}
 * @param m      {@code [layout.size()]} AdamW first moment
 * @param v      {@code [layout.size()]} AdamW second moment
 */
public record Checkpoint(TrainConfig config, int step, double seconds, float[] params, float[] m, float[] v,
                         List<EvalPoint> curve) {

    private static final int MAGIC = 0x534B5654; // "SKVT"
    private static final int VERSION = 2;

    public Checkpoint {
        if (config == null || params == null || m == null || v == null || curve == null) {
            throw new IllegalArgumentException("a checkpoint needs a configuration, weights, both moments and a curve");
        }
        if (m.length != params.length || v.length != params.length) {
            throw new IllegalArgumentException("weights and moments must have equal lengths, were " + params.length + ", "
                    + m.length + ", " + v.length);
        }
        if (step < 0 || step > config.steps() || !(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("step must be in [0, steps = " + config.steps() + "] and seconds finite and "
                    + ">= 0, were " + step + " and " + seconds);
        }
    }

    public void write(Path file) throws IOException {
        AtomicFile.write(file, this::writeTo);
    }

    private void writeTo(Path file) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            ModelConfig mc = config.model();
            for (int x : new int[] {mc.dim(), mc.layers(), mc.heads(), mc.kvHeads(), mc.ffnDim(), mc.vocabSize(),
                    mc.contextLength()}) {
                out.writeInt(x);
            }
            out.writeBoolean(mc.tiedOutput());
            out.writeFloat(mc.ropeTheta());
            out.writeFloat(mc.rmsEps());
            TaskConfig tc = config.task();
            out.writeInt(tc.facts());
            out.writeInt(tc.questions());
            out.writeInt(tc.valueDigits());
            out.writeInt(config.minFacts());
            out.writeInt(config.steps());
            out.writeInt(config.batch());
            out.writeFloat(config.learningRate());
            out.writeInt(config.warmup());
            out.writeFloat(config.weightDecay());
            out.writeFloat(config.clipNorm());
            out.writeLong(config.seed());
            out.writeInt(config.evalEvery());
            out.writeInt(config.evalTasks());
            out.writeInt(config.threads());
            out.writeInt(step);
            out.writeDouble(seconds);
            for (float[] a : new float[][] {params, m, v}) {
                out.writeInt(a.length);
                for (float x : a) {
                    out.writeFloat(x);
                }
            }
            out.writeInt(curve.size());
            for (EvalPoint p : curve) {
                out.writeInt(p.step());
                for (double x : new double[] {p.seconds(), p.trainLoss(), p.evalLoss(), p.forcedAccuracy(), p.greedyAccuracy()}) {
                    out.writeDouble(x);
                }
            }
        }
    }

    /**
     * @throws IOException naming the file for one that is not a checkpoint of this version, is
     *                     truncated, or holds sizes or settings that cannot be (the rule is named)
     */
    public static Checkpoint read(Path file) throws IOException {
        long size = Files.size(file);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            return read(file, size, in);
        } catch (EOFException e) {
            throw new IOException(file + " is truncated: the file ends inside the checkpoint", e);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " is not a valid checkpoint: " + e.getMessage(), e);
        }
    }

    private static Checkpoint read(Path file, long size, DataInputStream in) throws IOException {
        {
            if (in.readInt() != MAGIC) {
                throw new IOException(file + " is not a training checkpoint");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException(file + " has checkpoint version " + version + ", this build reads " + VERSION);
            }
            ModelConfig model = new ModelConfig(in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt(),
                    in.readInt(), in.readInt(), in.readBoolean(), in.readFloat(), in.readFloat());
            TaskConfig task = new TaskConfig(in.readInt(), in.readInt(), in.readInt());
            TrainConfig config = new TrainConfig(model, task, in.readInt(), in.readInt(), in.readInt(), in.readFloat(), in.readInt(),
                    in.readFloat(), in.readFloat(), in.readLong(), in.readInt(), in.readInt(), in.readInt());
            int step = in.readInt();
            double seconds = in.readDouble();
            float[][] arrays = new float[3][];
            for (int a = 0; a < 3; a++) {
                arrays[a] = new float[length(in.readInt(), 4, size, "weight array")];
                for (int i = 0; i < arrays[a].length; i++) {
                    arrays[a][i] = in.readFloat();
                }
            }
            int points = length(in.readInt(), 44, size, "learning curve");
            List<EvalPoint> curve = new ArrayList<>();
            for (int i = 0; i < points; i++) {
                curve.add(new EvalPoint(in.readInt(), in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble(),
                        in.readDouble()));
            }
            return new Checkpoint(config, step, seconds, arrays[0], arrays[1], arrays[2], curve);
        }
    }

    /** A stored count, checked against the file size before anything is allocated for it. */
    private static int length(int count, int bytesEach, long fileSize, String what) {
        if (count < 0 || (long) count * bytesEach > fileSize) {
            throw new IllegalArgumentException(what + " length " + count + " does not fit a file of " + fileSize + " bytes");
        }
        return count;
    }
}
