package dev.hone.train;

/**
 * Which of a split's images ranked by their own score (segmentation's mIoU, detection's F1, in [0, 1]) the report shows as
 * the worst and as the best: at most {@code shown} each, never one image in both lists (a split of 8 images showed 4 in
 * both), and no image with a perfect score among the worst (a detection split showed three images of F1 1 there).
 *
 * @param worstEnd the worst are the ranked images {@code [0, worstEnd)}
 * @param bestFrom the best are {@code [bestFrom, n)}, best last
 */
record ShownImages(int worstEnd, int bestFrom) {
    /**
     * @param order the images' indices, lowest score first
     * @param score each image's score, by index
     * @param shown the most images in each list
     */
    static ShownImages of(Integer[] order, double[] score, int shown) {
        int n = order.length;
        int worstEnd = Math.min(shown, (n + 1) / 2);
        while (worstEnd > 0 && score[order[worstEnd - 1]] >= 1) {
            worstEnd--;
        }
        return new ShownImages(worstEnd, Math.max(worstEnd, n - shown));
    }
}
