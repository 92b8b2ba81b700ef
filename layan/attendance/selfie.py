"""Selfie analysis run in the background after a check-in: a perceptual hash (imagehash.phash) to find a
reused photo, and a face search with OpenCV's bundled Haar cascade (no model download)."""

from __future__ import annotations

from functools import lru_cache

import imagehash
import numpy as np
from PIL import Image, ImageOps

MAX_SIDE = 480  # faces in a phone selfie are large; a small image keeps detection fast


def open_image(file) -> Image.Image:
    file.seek(0)
    image = Image.open(file)
    image = ImageOps.exif_transpose(image)
    image = image.convert("RGB")
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    return image


def perceptual_hash(image: Image.Image) -> str:
    return str(imagehash.phash(image))


def hash_distance(a: str, b: str) -> int:
    return bin(int(a, 16) ^ int(b, 16)).count("1")


@lru_cache(maxsize=1)
def _face_cascade():
    import cv2

    cascade = cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_default.xml")
    if cascade.empty():  # pragma: no cover - the wheel ships the file
        raise RuntimeError("OpenCV Haar cascade not found")
    return cascade


def face_found(image: Image.Image) -> bool:
    import cv2

    gray = cv2.cvtColor(np.asarray(image), cv2.COLOR_RGB2GRAY)
    gray = cv2.equalizeHist(gray)
    side = min(gray.shape[:2])
    faces = _face_cascade().detectMultiScale(
        gray, scaleFactor=1.1, minNeighbors=5, minSize=(max(24, side // 8), max(24, side // 8))
    )
    return len(faces) > 0
