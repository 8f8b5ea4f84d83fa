/**
 * Sharing one Preact between the Qwidget and the chunks it loads later.
 * The Qwidget's first load has a byte budget: splitting Preact
 * into a chunk of its own would cost a few hundred bytes of it (two gzip
 * streams instead of one). So the widget keeps Preact inside its own bundle
 * and hands these functions to a lazy chunk before anything in it renders;
 * scripts/build.mjs (hostPreact) builds such chunks with every import of
 * Preact pointing at what was handed over. Elsewhere (the hosted chat page,
 * bundled as one file) `adoptPreact` does nothing: the chunk's code uses
 * Preact directly.
 */
import { Fragment, render } from "preact";
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import { jsx, jsxs } from "preact/jsx-runtime";
import { t } from "./i18n";

/**
 * Everything a lazy chunk may use of Preact — and the widget's messages
 * (`t` of ./i18n: a chunk of its own would hold none). scripts/build.mjs
 * lists the same names (HOST_PREACT).
 */
export const PREACT_KIT = { Fragment, render, jsx, jsxs, useEffect, useLayoutEffect, useMemo, useRef, useState, t };
export type PreactKit = typeof PREACT_KIT;
