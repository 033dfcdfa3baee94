package dev.hone.train;

import dev.hone.core.HoneException;
import dev.hone.data.ImageSet;
import dev.hone.data.multilabel.IterativeStratification;
import dev.hone.loop.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Stratified hold-out splits drawn with the run seed: each class keeps its share in both parts,
 * so a small or imbalanced class is never missing from validation or test.
 */
public final class Splits {
    private Splits() {}

    /** The two parts of a split, as index lists into the original set. */
    public record Split(int[] kept, int[] held) {}

    /**
     * A multi-label set's split (or a segmentation set's, by the classes each mask shows, or a detection set's, by
     * the classes of each image's boxes, ignored ones included) by iterative stratification (Sechidis, Tsoumakas and Vlahavas 2011,
     * "On the Stratification of Multi-Label Data"), so that rare labels land in both parts.
     */
    private static Split multiLabel(ImageSet set, double fraction, long seed) {
        boolean[][] targets = new boolean[set.size()][set.numClasses()];
        if (set.segmentation()) {
            // an image "shows" the classes present in its mask
            int hw = set.height() * set.width();
            byte[] masks = set.masks();
            for (int i = 0; i < set.size(); i++) {
                for (int p = i * hw; p < (i + 1) * hw; p++) {
                    int v = masks[p] & 0xFF;
                    if (v != ImageSet.IGNORE) {
                        targets[i][v] = true;
                    }
                }
            }
        }
        if (set.detection()) {
            // an image "shows" the classes of its boxes; an image without boxes shows none
            for (int i = 0; i < set.size(); i++) {
                float[] b = set.boxes()[i];
                for (int r = 0; r < b.length; r += ImageSet.BOX_FIELDS) {
                    targets[i][(int) b[r]] = true;
                }
            }
        }
        for (int i = 0; i < set.size() && !set.segmentation() && !set.detection(); i++) {
            for (int k = 0; k < set.numClasses(); k++) {
                targets[i][k] = set.positive(i, k);
            }
        }
        IterativeStratification.Split s = IterativeStratification.holdOut(targets, fraction, seed);
        return new Split(s.kept(), s.held());
    }

    /**
     * Holds out {@code fraction} of every class (at least one image of each class with two or more).
     *
     * @param purpose names the random stream, so the validation and test splits are independent
     */
    public static Split stratified(ImageSet set, double fraction, long seed, String purpose) {
        if (set.multiLabel() || set.segmentation() || set.detection()) {
            return multiLabel(set, fraction, Seeds.mix(seed, purpose, 0));
        }
        int classes = set.numClasses();
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < set.size(); i++) {
            byClass.get(set.label(i)).add(i);
        }
        SplittableRandom random = new SplittableRandom(Seeds.mix(seed, purpose, 0));
        List<Integer> kept = new ArrayList<>();
        List<Integer> held = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            List<Integer> members = byClass.get(c);
            if (members.isEmpty()) {
                throw new HoneException("class '" + set.classNames().get(c) + "' has no images, so it cannot be learned or "
                        + "evaluated. Fix: add images of that class or remove it from the data");
            }
            dev.hone.core.Shuffle.inPlace(members, random);
            int take = members.size() < 2 ? 0 : Math.max(1, (int) Math.round(members.size() * fraction));
            held.addAll(members.subList(0, take));
            kept.addAll(members.subList(take, members.size()));
        }
        // stored order by original index keeps evaluation output stable and readable
        return new Split(kept.stream().mapToInt(Integer::intValue).sorted().toArray(),
                held.stream().mapToInt(Integer::intValue).sorted().toArray());
    }
}
