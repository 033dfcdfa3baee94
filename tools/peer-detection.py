#!/usr/bin/env python3
"""PyTorch peer for the detection scenes benchmark: what a user would write without hone.

Reads COCO JSON as tools/make-scenes.py --task detection writes it (DIR/_annotations.coco.json with the images
beside it; 8-bit grey PNGs decoded with torchvision.io.read_image, offline, no Pillow) and trains torchvision's
Faster R-CNN the way its object-detection tutorial does: a Dataset returning (image tensor, {boxes, labels}),
a DataLoader with collate_fn=lambda b: tuple(zip(*b)), SGD lr 0.005 momentum 0.9 weight decay 5e-4 on the
trainable parameters, model(images, targets) in train mode and the sum of its loss dict as the loss, the
linear warm-up of torchvision's references/detection/engine.py (from lr/1000 over the first min(1000, steps
per epoch - 1) steps, but here ending by --warmup = 5% of the budget at the latest: 2 cores make only a few
hundred steps in 900 s, which engine.py's 1000 would all spend warming up), and StepLR(step_size=1,
gamma=0.1) for the drops (below). Batch 8 (per image ~1.9x faster than the tutorial's 2 on 2 cores), no
augmentation (as the other peers; the tutorial's horizontal flip would show shoes facing the other way, which
the test set never does), a fixed seed, 2 threads, no DataLoader workers (2 cores), until --budget-s seconds
of training time have passed (checked after every step; loading and the final detection pass are not counted,
as in the other peers).

The model, as torchvision itself builds Faster R-CNN without pretrained weights (fasterrcnn_resnet50_fpn with
weights=None, weights_backbone=None): resnet_fpn_backbone("resnet18", weights=None, norm_layer=BatchNorm2d,
trainable_layers=5). The backbone's default FrozenBatchNorm2d and trainable_layers=3 are for pretrained weights:
from scratch they would leave the stem and layer1 at their random initialisation and every norm layer the
identity. ResNet-18 is hone's detection backbone too. FasterRCNN(backbone, num_classes=K + 1, min_size=64,
max_size=64): the default 800/1333 would upscale the 64-pixel scenes 12.5x. Anchors: the default sizes
32..512, one per FPN level, are made for 800-pixel images; here the boxes are 7 to 28 pixels a side, so the
anchors are scaled down 4x as in the tutorial's custom-anchor example, AnchorGenerator(sizes=((8,), (16,),
(32,), (64,), (128,)), aspect_ratios=((0.5, 1.0, 2.0),) * 5): 8, 16 and 32 on strides 4, 8 and 16 cover the
items, the coarse levels (2x2 and 1x1 feature maps on 64 pixels) cost little. Grey scenes are repeated to 3
channels, so torchvision's default transform (ImageNet mean and std) and the ResNet stem apply unchanged, as a
user would do before changing any code. Proposals: torchvision's defaults (2000 proposals per image kept for
training, 1000 for testing, 512 of them sampled per image for the box head's loss) are sized for 800-pixel COCO
images with up to ~100 objects; here a scene has at most 4 items and only ~1000 anchors in all, and every
proposal costs the box head's 12544 x 1024 fc6. On this 2-core machine, shared with other jobs, the defaults
took ~40 s per batch of 8 (and ~2.5 s per test image); --proposals 300 (train and test) and --rois-per-image
128 (the Fast R-CNN paper sampled 64 per image) are what a user who sees that would set; they make a training
step ~2x faster. box_score_thresh=0.001 and box_detections_per_img=100, as COCO evaluation is run: the
detector keeps its low-confidence boxes so that the precision-recall curve is complete.

Learning-rate drops: the tutorial's StepLR(step_size=3) over 10 epochs fine-tunes a pretrained model and
counts epochs, which a time budget does not know in advance. This peer drops the learning rate 10x when the
training time passes each of --lr-drops (default 0.62 and 0.85 of the budget: torchvision's references train
Faster R-CNN for 26 epochs with drops at 16 and 22), by StepLR.step().

Writes --out DIR/detections.json, COCO results [{image_id, category_id, bbox [x, y, w, h], score}] for the
test images (ids and categories as in the test JSON), and DIR/peer.json: steps, epochs, training images/s,
training, load, detection and wall seconds, parameters and the settings; with tools/score-detections.sh
present, it is run on the detections and its output is included under "score" (else the command is printed).
One JSON line per epoch and every 25 steps on stderr, the final peer.json line on stdout.

Run with Debian's system Python (apt-get install python3-torch python3-torchvision python3-numpy):
    /usr/bin/python3 tools/peer-detection.py --train /tmp/scenes-det/train/_annotations.coco.json \\
        --test /tmp/scenes-det/test/_annotations.coco.json --budget-s 900 --out /tmp/peer-det
"""
import argparse, json, os, subprocess, sys, time

SCORER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "score-detections.sh")


def read_coco(path):
    """(images N*1*H*W uint8, COCO image ids, per-image boxes x1,y1,x2,y2 float, per-image category ids,
    sorted category ids) of one COCO JSON; crowd annotations are left out of training, as they are regions."""
    import torch
    from torchvision.io import read_image, ImageReadMode
    base = os.path.dirname(os.path.abspath(path))
    with open(path) as f:
        coco = json.load(f)
    images = sorted(coco["images"], key=lambda im: im["id"])
    row = {im["id"]: i for i, im in enumerate(images)}
    boxes, cats = [[] for _ in images], [[] for _ in images]
    for a in coco["annotations"]:
        if a.get("iscrowd", 0):
            continue
        x, y, w, h = a["bbox"]
        boxes[row[a["image_id"]]].append([x, y, x + w, y + h])
        cats[row[a["image_id"]]].append(a["category_id"])
    pixels = torch.stack([read_image(os.path.join(base, im["file_name"]), ImageReadMode.GRAY) for im in images])
    return (pixels, [im["id"] for im in images], [torch.tensor(b, dtype=torch.float32).reshape(-1, 4) for b in boxes],
            cats, sorted(c["id"] for c in coco["categories"]))


def scenes_dataset(pixels, boxes, labels):
    import torch

    class Scenes(torch.utils.data.Dataset):
        """The tutorial's dataset: (3*H*W float image in [0, 1], {"boxes": n*4 x1,y1,x2,y2, "labels": n})."""
        def __len__(self):
            return len(pixels)

        def __getitem__(self, i):
            return (pixels[i].float().div(255).expand(3, -1, -1),
                    {"boxes": boxes[i], "labels": torch.tensor(labels[i], dtype=torch.int64)})
    return Scenes()


def detector(classes, size, proposals=300, rois=128):
    import torch.nn as nn
    from torchvision.models.detection import FasterRCNN
    from torchvision.models.detection.anchor_utils import AnchorGenerator
    from torchvision.models.detection.backbone_utils import resnet_fpn_backbone
    backbone = resnet_fpn_backbone(backbone_name="resnet18", weights=None, norm_layer=nn.BatchNorm2d, trainable_layers=5)
    anchors = AnchorGenerator(sizes=((8,), (16,), (32,), (64,), (128,)), aspect_ratios=((0.5, 1.0, 2.0),) * 5)
    return FasterRCNN(backbone, num_classes=classes + 1, min_size=size, max_size=size, rpn_anchor_generator=anchors,
                      rpn_post_nms_top_n_train=proposals, rpn_post_nms_top_n_test=proposals,
                      box_batch_size_per_image=rois, box_score_thresh=0.001, box_detections_per_img=100)


def score(truth, detections):
    """tools/score-detections.sh's output (parsed when it is JSON), or None when the scorer is missing."""
    if not os.path.exists(SCORER):
        print("score with: %s --truth %s --detections %s" % (SCORER, truth, detections), file=sys.stderr, flush=True)
        return None
    run = subprocess.run([SCORER, "--truth", truth, "--detections", detections], capture_output=True, text=True)
    out = run.stdout.strip()
    try:
        result = json.loads(out.splitlines()[-1]) if out else None
    except ValueError:
        result = None
    return {"rc": run.returncode, "result": result, "stdout": out[-4000:], "stderr": run.stderr.strip()[-2000:]}


def main():
    wall0 = time.perf_counter()
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--train", required=True, help="training COCO JSON, images beside it")
    p.add_argument("--test", required=True, help="test COCO JSON, images beside it")
    p.add_argument("--out", required=True, help="folder for detections.json and peer.json")
    p.add_argument("--budget-s", "--budget-seconds", dest="budget_s", type=float, default=900)
    p.add_argument("--bs", type=int, default=8); p.add_argument("--lr", type=float, default=0.005)
    p.add_argument("--lr-drops", default="0.62,0.85", help="fractions of the budget where the lr drops 10x")
    p.add_argument("--warmup", type=float, default=0.05, help="most fraction of the budget the warm-up may take")
    p.add_argument("--proposals", type=int, default=300, help="RPN proposals kept per image after NMS (train and test)")
    p.add_argument("--rois-per-image", type=int, default=128, help="proposals sampled per image for the box head's loss")
    p.add_argument("--threads", type=int, default=2); p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    import torch
    torch.set_num_threads(a.threads); torch.manual_seed(a.seed)
    os.makedirs(a.out, exist_ok=True)
    xtr, _, btr, ctr, categories = read_coco(a.train)
    xte, ids_te, _, _, test_categories = read_coco(a.test)
    if test_categories != categories:
        sys.exit("the test categories differ from the training ones")
    label = {c: k + 1 for k, c in enumerate(categories)}            # 0 is Faster R-CNN's background
    train = scenes_dataset(xtr, btr, [[label[c] for c in cs] for cs in ctr])
    loader = torch.utils.data.DataLoader(train, batch_size=a.bs, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
    load_s = time.perf_counter() - wall0
    size = xtr.shape[-1]
    if xtr.shape[-2] != size:
        sys.exit("this peer expects square scenes (min_size = max_size = the side)")
    model = detector(len(categories), size, a.proposals, a.rois_per_image)
    params = sum(q.numel() for q in model.parameters())
    print(json.dumps({"model": "fasterrcnn_resnet18_fpn", "parameters": params, "train_images": len(xtr),
                      "train_boxes": sum(len(b) for b in btr), "test_images": len(xte), "classes": len(categories),
                      "load_s": round(load_s, 1)}), file=sys.stderr, flush=True)
    opt = torch.optim.SGD([q for q in model.parameters() if q.requires_grad], lr=a.lr, momentum=0.9, weight_decay=5e-4)
    warmup_iters, warmup_s = min(1000, len(loader) - 1), a.warmup * a.budget_s
    warming = True
    for group in opt.param_groups:                  # engine.py's LinearLR(start_factor=1/1000) warm-up
        group["lr"] = a.lr / 1000
    drops = torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.1)
    pending = sorted(float(f) * a.budget_s for f in a.lr_drops.split(",") if f.strip())
    limit, spent, steps, seen, epoch, losses = a.budget_s, 0.0, 0, 0, 0, {}
    model.train()
    while spent < limit:
        epoch += 1
        start = time.perf_counter() - spent          # the training clock runs while batches are fetched
        for images, targets in loader:
            loss_dict = model(list(images), list(targets))
            loss = sum(loss_dict.values())
            if not torch.isfinite(loss):
                sys.exit("loss is %s at step %d, stopping training (%s)" % (loss.item(), steps, loss_dict))
            opt.zero_grad(); loss.backward(); opt.step()
            steps += 1; seen += len(images)
            spent = time.perf_counter() - start
            if warming:                                 # linear in steps or in time, whichever ends first
                progress = min(1.0, max(steps / max(warmup_iters, 1), spent / max(warmup_s, 1e-9)))
                warming = progress < 1
                for group in opt.param_groups:
                    group["lr"] = a.lr * (1 / 1000 + (1 - 1 / 1000) * progress)
            while pending and spent >= pending[0]:
                pending.pop(0); drops.step()
            losses = {k: round(v.item(), 4) for k, v in loss_dict.items()}
            if steps % 25 == 0:
                print(json.dumps({"step": steps, "train_s": round(spent, 1), "lr": opt.param_groups[0]["lr"],
                                  "loss": round(loss.item(), 4), **losses}), file=sys.stderr, flush=True)
            if spent >= limit:
                break
        print(json.dumps({"epoch": epoch, "train_s": round(spent, 1), "steps": steps, "loss": losses}),
              file=sys.stderr, flush=True)
    model.eval()
    detect0, detections = time.perf_counter(), []
    with torch.no_grad():
        for i in range(0, len(xte), 50):
            batch = [x.float().div(255).expand(3, -1, -1) for x in xte[i:i + 50]]
            for image_id, found in zip(ids_te[i:i + 50], model(batch)):
                for (x1, y1, x2, y2), c, s in zip(found["boxes"].tolist(), found["labels"].tolist(), found["scores"].tolist()):
                    detections.append({"image_id": image_id, "category_id": categories[c - 1],
                                       "bbox": [round(x1, 2), round(y1, 2), round(x2 - x1, 2), round(y2 - y1, 2)],
                                       "score": round(s, 5)})
    detect_s = time.perf_counter() - detect0
    path = os.path.join(a.out, "detections.json")
    with open(path, "w") as f:
        json.dump(detections, f)
    result = {"model": "fasterrcnn_resnet18_fpn", "train_images_per_s": round(seen / max(spent, 1e-9), 1),
              "steps": steps, "epochs": round(seen / len(xtr), 2), "train_s": round(spent, 1), "load_s": round(load_s, 1),
              "detect_s": round(detect_s, 1), "test_images_per_s": round(len(xte) / max(detect_s, 1e-9), 1),
              "detections": len(detections), "final_loss": losses, "parameters": params, "train_images": len(xtr),
              "test_images": len(xte), "threads": a.threads, "batch": a.bs, "lr": a.lr, "lr_drops": a.lr_drops,
              "proposals": a.proposals, "rois_per_image": a.rois_per_image,
              "warmup_iters": warmup_iters, "warmup": a.warmup, "budget_s": a.budget_s, "seed": a.seed, "detections_json": path}
    result["score"] = score(os.path.abspath(a.test), os.path.abspath(path))
    result["wall_s"] = round(time.perf_counter() - wall0, 1)
    line = json.dumps(result)
    print(line, flush=True)
    with open(os.path.join(a.out, "peer.json"), "w") as out:
        out.write(line + "\n")


if __name__ == "__main__":
    main()
