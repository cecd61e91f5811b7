/**
 * The built-in model's vocabulary, as compact tables. build.ts turns it into
 * models/builtin/vocab.json (the file the engine loads); edit here, rebuild.
 *
 * Four kinds of entries:
 *  - scenes: a whole look (palette + the scalars that matter for it);
 *  - colour words: set the body/glow colours (and a lighter light, a darker shadow);
 *  - modifiers: nudge scalars ("soft", "dramatic", "slow", "warm");
 *  - aliases: synonyms and spellings of the above.
 */
import { CONDITIONING_SIZE, SLOTS } from './conditioning-layout.js';

type Settings = Record<string, number | string>;

/** Neutral: a soft, mottled studio-grey painted canvas with a gentle light pool. */
export const NEUTRAL: Settings = {
  shadow: '#222428', body: '#62656a', light: '#c9c7c2', glow: '#9a9894',
  brightness: 0.5, contrast: 0.5, saturation: 0.5, turbulence: 0.3, speed: 0.25, scale: 0.35,
  warp: 0.3, sky: 0, horizon: 0.5, spot: 0.6, spotX: 0.5, spotY: 0.42, vignette: 0.5,
  rays: 0, glowLines: 0, clouds: 0.55, grain: 0.35, flow: 0.3, stretch: 0.55, temperature: 0.5,
};

/** Whole looks. Only the slots a scene cares about; the rest stay neutral or come from other words. */
const SCENES: Record<string, Settings> = {
  sunset: {
    shadow: '#241446', body: '#c43f45', light: '#ffc15e', glow: '#ff7f3a',
    sky: 1, horizon: 0.7, spot: 0.35, spotY: 0.7, clouds: 0.5, stretch: 0.88, turbulence: 0.3,
    speed: 0.15, vignette: 0.4, saturation: 0.64, contrast: 0.6, temperature: 0.6, flow: 0.5, brightness: 0.47,
  },
  dawn: {
    shadow: '#2d3767', body: '#c98aa6', light: '#ffe1b5', glow: '#ffb48c',
    sky: 0.85, horizon: 0.74, spot: 0.35, spotY: 0.72, clouds: 0.45, stretch: 0.85, contrast: 0.42,
    speed: 0.12, saturation: 0.55, brightness: 0.56, flow: 0.0,
  },
  underwater: {
    shadow: '#021a2e', body: '#0b5f7a', light: '#74e3df', glow: '#2fbccc',
    rays: 0.85, sky: 0.45, horizon: 0.0, spot: 0.3, spotY: 0.05, clouds: 0.45, warp: 0.75,
    turbulence: 0.35, speed: 0.22, stretch: 0.5, vignette: 0.65, flow: 0.25, temperature: 0.38,
  },
  snow: {
    shadow: '#6f8199', body: '#c9d5e3', light: '#fbfdff', glow: '#dcecff',
    brightness: 0.6, contrast: 0.4, clouds: 0.45, turbulence: 0.25, flow: 0.75, sky: 0.35,
    horizon: 0.35, saturation: 0.45, temperature: 0.4, vignette: 0.35, spot: 0.35,
  },
  neon: {
    shadow: '#06021a', body: '#2b0b55', light: '#ff2bd6', glow: '#1ae3ff',
    glowLines: 0.9, clouds: 0.3, contrast: 0.7, saturation: 0.8, brightness: 0.45, warp: 0.6,
    vignette: 0.6, speed: 0.35, sky: 0, spot: 0.2, grain: 0.1,
  },
  night: {
    shadow: '#02040c', body: '#122048', light: '#4a6aa0', glow: '#8fb4ff',
    brightness: 0.38, spot: 0.35, spotX: 0.7, spotY: 0.25, clouds: 0.45, vignette: 0.65, temperature: 0.36, speed: 0.14,
  },
  forest: {
    shadow: '#0a1a0c', body: '#2f5b2a', light: '#b9d86a', glow: '#e2f29a',
    rays: 0.6, clouds: 0.62, turbulence: 0.55, scale: 0.55, warp: 0.5, stretch: 0.3, spot: 0.3, spotY: 0.2,
  },
  fog: {
    shadow: '#6a7177', body: '#a2a8ac', light: '#dfe2e3', glow: '#f1f2f2',
    contrast: 0.22, clouds: 0.5, turbulence: 0.15, scale: 0.2, speed: 0.15, saturation: 0.3,
    brightness: 0.58, stretch: 0.8, vignette: 0.3,
  },
  storm: {
    shadow: '#0f131a', body: '#3a434f', light: '#9ba7b4', glow: '#cfdfff',
    turbulence: 0.7, speed: 0.7, contrast: 0.7, warp: 0.4, clouds: 0.9, vignette: 0.7,
    brightness: 0.42, stretch: 0.55, flow: 0.45, scale: 0.4, sky: 0.35, horizon: 0.8,
  },
  desert: {
    shadow: '#7a4a2c', body: '#d29a5e', light: '#fbe2b6', glow: '#ffeccc',
    sky: 0.9, horizon: 0.56, spot: 0.45, spotY: 0.5, stretch: 0.95, clouds: 0.35, turbulence: 0.2,
    temperature: 0.64, speed: 0.1, contrast: 0.56, vignette: 0.4,
  },
  ocean: {
    shadow: '#04203a', body: '#0f5d8c', light: '#8fd3f0', glow: '#dcf5ff',
    sky: 0.7, horizon: 0.45, stretch: 0.95, clouds: 0.55, speed: 0.3, flow: 0.5, temperature: 0.42,
  },
  fire: {
    shadow: '#120200', body: '#9e1f0a', light: '#ff9a1f', glow: '#ffcf5c',
    glowLines: 0.35, turbulence: 0.8, speed: 0.8, flow: 0.25, stretch: 0.12, warp: 0.5, sky: 0.7, horizon: 1,
    contrast: 0.66, saturation: 0.64, clouds: 0.85, scale: 0.55, vignette: 0.55, spot: 0.2, spotY: 0.9,
  },
  studio: {
    shadow: '#222428', body: '#62656a', light: '#cbc9c4', glow: '#9a9894',
    clouds: 0.45, spot: 0.7, grain: 0.3, vignette: 0.55, saturation: 0.4, speed: 0.18,
  },
  backdrop: { clouds: 0.68, grain: 0.4, spot: 0.6, vignette: 0.55, warp: 0.15, turbulence: 0.4, speed: 0.15, stretch: 0.5 },
  muslin: { shadow: '#3a3631', body: '#8a8276', light: '#d8d0c2', glow: '#b0a898', clouds: 0.68, grain: 0.4, spot: 0.55, speed: 0.12, warp: 0.15, stretch: 0.5 },
  paper: { shadow: '#b9b2a6', body: '#ddd7cc', light: '#f7f4ee', glow: '#ffffff', clouds: 0.3, grain: 0.4, contrast: 0.3, brightness: 0.6 },
  marble: { shadow: '#5d5a57', body: '#cfcac3', light: '#f6f3ef', glow: '#8d8780', glowLines: 0.25, warp: 0.7, turbulence: 0.55, clouds: 0.5, speed: 0.08, contrast: 0.45 },
  velvet: { shadow: '#12040a', body: '#5a0f26', light: '#b8405a', glow: '#e06a86', warp: 0.65, clouds: 0.7, contrast: 0.62, grain: 0.15, saturation: 0.6 },
  silk: { warp: 0.75, clouds: 0.7, turbulence: 0.1, grain: 0.05, contrast: 0.55, speed: 0.3, stretch: 0.7 },
  smoke: { shadow: '#0c0c0e', body: '#4a4b50', light: '#b7b8bc', glow: '#d8d8dc', warp: 0.8, turbulence: 0.55, clouds: 0.8, brightness: 0.4, flow: 0.25, speed: 0.35, vignette: 0.6 },
  sky: {
    shadow: '#2c5f9e', body: '#6fa6dc', light: '#eef6ff', glow: '#ffffff',
    sky: 0.7, horizon: 0.9, clouds: 0.55, stretch: 0.8, turbulence: 0.35, speed: 0.18, saturation: 0.55, flow: 0.5, spot: 0.2,
  },
  cloud: {
    shadow: '#7b8796', body: '#c5ccd6', light: '#ffffff', glow: '#ffffff',
    clouds: 0.85, turbulence: 0.55, stretch: 0.7, speed: 0.2, brightness: 0.58, flow: 0.5, sky: 0.3, horizon: 0.8,
  },
  sunrise: {
    shadow: '#3a3a78', body: '#e07a62', light: '#ffe3a0', glow: '#ffb070',
    sky: 0.95, horizon: 0.72, spot: 0.4, spotY: 0.7, clouds: 0.45, stretch: 0.85, speed: 0.12, saturation: 0.58, flow: 0.0,
  },
  twilight: {
    shadow: '#0d1236', body: '#4a3a7a', light: '#e48a8a', glow: '#ffb38a',
    sky: 0.95, horizon: 0.78, clouds: 0.4, stretch: 0.9, speed: 0.1, brightness: 0.42, vignette: 0.45, saturation: 0.58,
  },
  noon: { shadow: '#3f7cc4', body: '#8fc0ec', light: '#ffffff', glow: '#fffbe8', sky: 0.5, horizon: 0.95, brightness: 0.62, clouds: 0.45, stretch: 0.8 },
  moon: {
    shadow: '#03060f', body: '#17264a', light: '#b9c8e6', glow: '#e6eeff',
    spot: 0.75, spotX: 0.72, spotY: 0.28, brightness: 0.4, clouds: 0.4, vignette: 0.65, temperature: 0.38, speed: 0.12,
  },
  space: {
    shadow: '#000002', body: '#0b0822', light: '#5a3f9a', glow: '#7fa8ff',
    brightness: 0.34, clouds: 0.7, warp: 0.7, turbulence: 0.6, glowLines: 0.2, vignette: 0.6, speed: 0.08, contrast: 0.66,
  },
  nebula: {
    shadow: '#03010a', body: '#3a1258', light: '#e0508f', glow: '#5fd0ff',
    clouds: 0.85, warp: 0.85, turbulence: 0.65, glowLines: 0.3, saturation: 0.7, contrast: 0.66, speed: 0.1, vignette: 0.55,
  },
  aurora: {
    shadow: '#010814', body: '#0a2a3a', light: '#3dffb0', glow: '#5affc0',
    glowLines: 0.8, stretch: 0.9, warp: 0.6, sky: 0.4, horizon: 0.3, clouds: 0.35, brightness: 0.42, speed: 0.3, saturation: 0.66, vignette: 0.5,
  },
  rain: {
    shadow: '#1a2028', body: '#4b5866', light: '#a4b2c0', glow: '#c9d6e6',
    stretch: 0.05, flow: 0.75, speed: 0.55, turbulence: 0.5, clouds: 0.6, contrast: 0.45, saturation: 0.32, temperature: 0.4, brightness: 0.45,
  },
  mist: { shadow: '#7d8584', body: '#b3bab8', light: '#eef1ef', glow: '#ffffff', contrast: 0.2, clouds: 0.45, scale: 0.15, speed: 0.12, saturation: 0.3, brightness: 0.6, stretch: 0.85 },
  haze: { shadow: '#8f8a84', body: '#c2b9ac', light: '#f2ebe0', glow: '#ffffff', contrast: 0.22, clouds: 0.35, scale: 0.15, brightness: 0.6, sky: 0.4, horizon: 0.6 },
  lightning: { glowLines: 0.7, glow: '#d6e4ff', contrast: 0.75, speed: 0.7, turbulence: 0.8 },
  lava: {
    shadow: '#0c0100', body: '#5a0a02', light: '#ff5a0a', glow: '#ffb020',
    glowLines: 0.85, warp: 0.7, turbulence: 0.55, speed: 0.3, contrast: 0.72, saturation: 0.7, brightness: 0.42, clouds: 0.6,
  },
  ember: {
    shadow: '#080100', body: '#3d0a02', light: '#e8501a', glow: '#ff9a3a',
    glowLines: 0.4, clouds: 0.55, brightness: 0.36, vignette: 0.7, speed: 0.3, flow: 0.25, spot: 0.35, spotY: 0.85,
  },
  candle: {
    shadow: '#0d0603', body: '#4a2a12', light: '#ffb45c', glow: '#ffd18a',
    spot: 0.8, spotY: 0.6, vignette: 0.8, brightness: 0.4, clouds: 0.35, speed: 0.2, temperature: 0.7,
  },
  jungle: {
    shadow: '#04140a', body: '#1f5a2a', light: '#9ad24a', glow: '#d8ff7a',
    rays: 0.55, clouds: 0.7, turbulence: 0.65, scale: 0.6, warp: 0.55, saturation: 0.66, stretch: 0.35, spot: 0.25, spotY: 0.15,
  },
  meadow: {
    shadow: '#355a22', body: '#8cbc55', light: '#f4f0b0', glow: '#ffe98a',
    sky: 0.65, horizon: 0.55, stretch: 0.85, clouds: 0.45, brightness: 0.56, speed: 0.18, temperature: 0.56,
  },
  autumn: {
    shadow: '#2a0f06', body: '#b5521c', light: '#f0b040', glow: '#e87a2a',
    clouds: 0.65, turbulence: 0.55, scale: 0.55, warp: 0.45, temperature: 0.64, saturation: 0.64, rays: 0.25,
  },
  spring: { shadow: '#4a6a3a', body: '#b8d890', light: '#fff4f6', glow: '#f7b6d0', clouds: 0.5, brightness: 0.6, saturation: 0.56, contrast: 0.4 },
  summer: { shadow: '#1f6aa8', body: '#5fb4e6', light: '#fff6d6', glow: '#ffd86a', brightness: 0.6, sky: 0.6, horizon: 0.85, saturation: 0.62, temperature: 0.58 },
  winter: { shadow: '#4a5a70', body: '#aebccc', light: '#f4f8fc', glow: '#d8e8ff', temperature: 0.36, saturation: 0.38, brightness: 0.56, contrast: 0.38, flow: 0.75 },
  ice: {
    shadow: '#0d2c44', body: '#5fa4c8', light: '#e8fbff', glow: '#bff2ff',
    glowLines: 0.3, warp: 0.5, contrast: 0.6, temperature: 0.32, speed: 0.08, turbulence: 0.5, stretch: 0.4,
  },
  mountain: {
    shadow: '#2b3550', body: '#7886a4', light: '#f0e6dc', glow: '#ffd8b0',
    sky: 0.85, horizon: 0.55, stretch: 0.9, clouds: 0.5, turbulence: 0.45, speed: 0.12, vignette: 0.4,
  },
  beach: {
    shadow: '#1a7aa0', body: '#7fd0d8', light: '#fff1d0', glow: '#ffe0a0',
    sky: 0.8, horizon: 0.55, stretch: 0.95, brightness: 0.62, clouds: 0.4, speed: 0.22, saturation: 0.6, temperature: 0.56,
  },
  lagoon: { shadow: '#04464f', body: '#1fa9a4', light: '#b8f5e0', glow: '#e0fff0', rays: 0.35, warp: 0.55, brightness: 0.56, saturation: 0.66 },
  lake: { shadow: '#15303a', body: '#4c7d88', light: '#d6e6e4', glow: '#ffffff', sky: 0.75, horizon: 0.5, stretch: 0.95, contrast: 0.4, speed: 0.1 },
  water: { shadow: '#032a40', body: '#0f6a8c', light: '#9fe0f0', glow: '#e0faff', warp: 0.6, glowLines: 0.2, speed: 0.3, clouds: 0.55 },
  cave: {
    shadow: '#050505', body: '#2a241e', light: '#8a7a64', glow: '#c8b08a',
    brightness: 0.34, vignette: 0.85, spot: 0.55, spotY: 0.3, clouds: 0.6, turbulence: 0.55, rays: 0.25,
  },
  canyon: {
    shadow: '#4a1a0a', body: '#b5542a', light: '#f4b27a', glow: '#ffd0a0',
    stretch: 0.92, clouds: 0.6, turbulence: 0.5, sky: 0.55, horizon: 0.3, temperature: 0.64, contrast: 0.6,
  },
  city: {
    shadow: '#05060e', body: '#1b2140', light: '#ff9a4a', glow: '#4ac8ff',
    glowLines: 0.45, brightness: 0.4, sky: 0.5, horizon: 0.82, stretch: 0.3, clouds: 0.35, vignette: 0.55, speed: 0.25,
  },
  cyberpunk: {
    shadow: '#05010f', body: '#2a0850', light: '#ff2a8a', glow: '#18f0ff',
    glowLines: 0.85, contrast: 0.7, saturation: 0.8, brightness: 0.42, rays: 0.2, stretch: 0.3, speed: 0.35, vignette: 0.6,
  },
  synthwave: {
    shadow: '#0a0124', body: '#5a1270', light: '#ff7ac0', glow: '#ffb040',
    sky: 0.9, horizon: 0.62, glowLines: 0.5, stretch: 0.95, saturation: 0.78, contrast: 0.62, brightness: 0.45, clouds: 0.3,
  },
  vaporwave: { shadow: '#2a1a5a', body: '#b070c8', light: '#7ff0f0', glow: '#ff9ad6', sky: 0.7, horizon: 0.6, saturation: 0.6, contrast: 0.45, glowLines: 0.3 },
  concert: {
    shadow: '#02010a', body: '#1a0a3a', light: '#b05aff', glow: '#ff3aa0',
    rays: 0.8, glowLines: 0.3, brightness: 0.4, contrast: 0.7, vignette: 0.6, speed: 0.45, saturation: 0.75, spot: 0.3, spotY: 0.1,
  },
  club: {
    shadow: '#020108', body: '#1a0638', light: '#ff2ad0', glow: '#2af0ff',
    glowLines: 0.6, rays: 0.5, speed: 0.55, contrast: 0.72, saturation: 0.8, brightness: 0.38, vignette: 0.6,
  },
  heaven: { shadow: '#8f8aa8', body: '#d8cfc4', light: '#fffaf0', glow: '#fff0c0', rays: 0.45, brightness: 0.52, contrast: 0.4, spot: 0.4, spotY: 0.15, clouds: 0.55 },
  blossom: {
    shadow: '#6a3a52', body: '#e8a6c0', light: '#fff2f6', glow: '#ffc6da',
    clouds: 0.6, turbulence: 0.5, brightness: 0.6, saturation: 0.55, scale: 0.6, contrast: 0.4, flow: 0.6,
  },
  rainbow: {
    shadow: '#3a2a8a', body: '#3fbf6a', light: '#ffd23a', glow: '#ff4a6a',
    glowLines: 0.5, saturation: 0.72, stretch: 0.85, warp: 0.3, brightness: 0.55,
  },
  corporate: { shadow: '#0a1a3a', body: '#1f4f8a', light: '#8ac4f0', glow: '#d8f0ff', clouds: 0.25, grain: 0.1, turbulence: 0.15, speed: 0.15, spot: 0.5, saturation: 0.5 },
  news: { shadow: '#050d22', body: '#12306a', light: '#4a90e0', glow: '#a8d4ff', glowLines: 0.3, clouds: 0.3, speed: 0.3, stretch: 0.85, contrast: 0.6 },
  wedding: { shadow: '#b8a89a', body: '#e8dcd0', light: '#fffaf4', glow: '#f8d8c8', brightness: 0.64, contrast: 0.32, clouds: 0.45, spot: 0.55, saturation: 0.42, rays: 0.2 },
};

/** Colour words: the hue they lend to body/glow (light and shadow are derived). */
const COLOURS: Record<string, string> = {
  red: '#c8242b', crimson: '#a3122f', scarlet: '#d9261c', ruby: '#9b1030', maroon: '#5e1020', burgundy: '#6b1530',
  orange: '#e8731c', tangerine: '#f2801f', coral: '#f0765e', salmon: '#ee8a72', peach: '#f6b48c', apricot: '#f5a766',
  yellow: '#f2c82c', lemon: '#f4e04a', gold: '#d9a531', golden: '#e0a93a', amber: '#f0a020', honey: '#d99a2b', mustard: '#c9a227',
  cream: '#efe3c6', ivory: '#f3eedf', beige: '#d9c7a6', tan: '#c49a6c', sand: '#d8b98a', khaki: '#b8a878',
  brown: '#7a4b2a', chocolate: '#4e2c18', copper: '#b8652e', bronze: '#9c6b30', rust: '#a4461f', terracotta: '#c0603e', sepia: '#8a6a48',
  green: '#2f9a4a', lime: '#8ccf2e', olive: '#6f7a2a', emerald: '#139a62', jade: '#2e9b74', mint: '#8fdcb8', sage: '#94a88a', moss: '#5b7a35',
  teal: '#138a8a', cyan: '#22c3d6', aqua: '#3fd6d0', turquoise: '#2cc2b0', azure: '#2f8ee8',
  blue: '#2456c8', cobalt: '#1f4fb3', sapphire: '#1c3f9e', navy: '#16275e', indigo: '#3b2a8f', cerulean: '#2a7fc0', denim: '#3c5f8f',
  purple: '#6b2fa6', violet: '#7a48d8', lavender: '#a995d8', lilac: '#b99ad6', plum: '#6a2a5e', mauve: '#a07893',
  magenta: '#c42a9a', fuchsia: '#d62aa8', pink: '#e77aa8', rose: '#d8667f', blush: '#e9a6ae',
  white: '#f2f2f0', black: '#0b0b0c', grey: '#7d7f83', charcoal: '#35373b', slate: '#5a6472', silver: '#b9bcc2', pearl: '#e6e2dc',
};

/** Modifiers: additive nudges to scalar slots. */
const MODIFIERS: Record<string, Record<string, number>> = {
  // light and exposure
  bright: { brightness: 0.15 }, brilliant: { brightness: 0.18, saturation: 0.08 }, luminous: { brightness: 0.12, spot: 0.15 },
  radiant: { brightness: 0.12, spot: 0.2, glowLines: 0.05 }, glowing: { glowLines: 0.25, brightness: 0.05 },
  dark: { brightness: -0.18, vignette: 0.1 }, dim: { brightness: -0.12 }, gloomy: { brightness: -0.15, saturation: -0.12, contrast: 0.05 },
  shadowy: { brightness: -0.12, vignette: 0.2 }, moody: { brightness: -0.1, vignette: 0.2, contrast: 0.1, saturation: -0.05 },
  airy: { brightness: 0.12, contrast: -0.12, turbulence: -0.1 },
  lowkey: { brightness: -0.2, vignette: 0.25, spot: 0.15 }, highkey: { brightness: 0.22, contrast: -0.15, vignette: -0.2 },
  backlit: { spot: 0.25, spotY: -0.1, vignette: 0.1 }, spotlight: { spot: 0.4, vignette: 0.25 }, rim: { vignette: 0.15 },
  sunlit: { brightness: 0.1, rays: 0.2, temperature: 0.08 }, sunbeam: { rays: 0.5 }, beam: { rays: 0.35 }, shaft: { rays: 0.45 },
  godray: { rays: 0.7 }, volumetric: { rays: 0.45, clouds: 0.1 }, hazy: { contrast: -0.15, clouds: 0.05, brightness: 0.05 },
  // contrast and colour
  soft: { contrast: -0.15, turbulence: -0.15, grain: -0.1, speed: -0.05 }, gentle: { contrast: -0.1, speed: -0.08, turbulence: -0.1 },
  subtle: { contrast: -0.12, clouds: -0.15, saturation: -0.08 }, muted: { saturation: -0.2, contrast: -0.08 },
  pastel: { saturation: -0.12, brightness: 0.12, contrast: -0.15 }, faded: { saturation: -0.18, contrast: -0.12, brightness: 0.05 },
  washed: { saturation: -0.2, contrast: -0.15, brightness: 0.08 }, monochrome: { saturation: -0.5 }, desaturated: { saturation: -0.35 },
  vivid: { saturation: 0.2, contrast: 0.08 }, vibrant: { saturation: 0.2 }, saturated: { saturation: 0.22 }, rich: { saturation: 0.12, contrast: 0.08 },
  colorful: { saturation: 0.25, glowLines: 0.05 }, psychedelic: { saturation: 0.3, warp: 0.3, glowLines: 0.3, speed: 0.1 },
  dramatic: { contrast: 0.2, vignette: 0.25, spot: 0.15, brightness: -0.05 }, cinematic: { contrast: 0.12, vignette: 0.2, saturation: -0.05 },
  epic: { contrast: 0.18, rays: 0.2, turbulence: 0.1, vignette: 0.15 }, bold: { contrast: 0.15, saturation: 0.12 },
  flat: { contrast: -0.2, clouds: -0.2, vignette: -0.15 }, clean: { clouds: -0.3, grain: -0.25, turbulence: -0.15 },
  minimal: { clouds: -0.35, grain: -0.25, turbulence: -0.2, glowLines: -0.2 }, simple: { clouds: -0.25, turbulence: -0.15 },
  smooth: { grain: -0.25, turbulence: -0.15 }, gradient: { clouds: -0.3, sky: 0.35, grain: -0.2 },
  // temperature
  warm: { temperature: 0.2 }, hot: { temperature: 0.28, saturation: 0.05 }, cozy: { temperature: 0.18, brightness: -0.05, contrast: -0.05 },
  cold: { temperature: -0.2 }, cool: { temperature: -0.14 }, icy: { temperature: -0.26, brightness: 0.08 }, frozen: { temperature: -0.24, speed: -0.1 },
  // motion
  calm: { speed: -0.12, turbulence: -0.12 }, still: { speed: -0.2 }, slow: { speed: -0.15 }, serene: { speed: -0.12, contrast: -0.08, turbulence: -0.1 },
  peaceful: { speed: -0.12, contrast: -0.08 }, tranquil: { speed: -0.14, turbulence: -0.12 }, dreamy: { contrast: -0.15, warp: 0.15, speed: -0.05, brightness: 0.05 },
  ethereal: { contrast: -0.15, brightness: 0.1, glowLines: 0.1, warp: 0.1 }, fast: { speed: 0.2 }, rushing: { speed: 0.25 },
  energetic: { speed: 0.2, turbulence: 0.15, contrast: 0.1 }, chaotic: { turbulence: 0.3, warp: 0.25, speed: 0.15 },
  wild: { turbulence: 0.25, warp: 0.2, speed: 0.15 }, turbulent: { turbulence: 0.3, warp: 0.15 }, swirling: { warp: 0.35 },
  flowing: { warp: 0.2, speed: 0.05 }, liquid: { warp: 0.3, glowLines: 0.1 }, drifting: { speed: 0.05 },
  abstract: { warp: 0.2, glowLines: 0.15 }, organic: { warp: 0.15, turbulence: 0.05 }, billowing: { turbulence: 0.2, clouds: 0.15 },
  // texture and framing
  textured: { grain: 0.3, turbulence: 0.1 }, painted: { grain: 0.2, clouds: 0.15, turbulence: 0.05, warp: -0.12 }, painterly: { grain: 0.25, clouds: 0.15, warp: -0.05 },
  mottled: { clouds: 0.25, grain: 0.2 }, grainy: { grain: 0.35 }, rough: { grain: 0.3, turbulence: 0.15 }, canvas: { grain: 0.2, clouds: 0.2, warp: -0.12 },
  vignette: { vignette: 0.3 }, wide: { stretch: 0.15, scale: -0.1 }, vast: { scale: -0.15, sky: 0.1 },
  huge: { scale: -0.2 }, big: { scale: -0.12 }, large: { scale: -0.12 }, small: { scale: 0.15 }, tiny: { scale: 0.22 }, detailed: { scale: 0.15, turbulence: 0.15 },
  busy: { scale: 0.2, turbulence: 0.2 }, layered: { stretch: 0.15, clouds: 0.1 }, vertical: { stretch: -0.25 }, horizontal: { stretch: 0.25 },
};

/** Synonyms and spellings -> vocabulary words. */
const ALIASES: Record<string, string> = {
  gray: 'grey', colour: 'colorful', colourful: 'colorful', colors: 'colorful', colours: 'colorful',
  dusk: 'twilight', evening: 'twilight', sundown: 'sunset', sunsets: 'sunset',
  morning: 'dawn', daybreak: 'dawn', daylight: 'noon', day: 'noon', midday: 'noon', afternoon: 'summer',
  midnight: 'night', nighttime: 'night', moonlight: 'moon', moonlit: 'moon', lunar: 'moon',
  stars: 'space', starry: 'space', star: 'space', galaxy: 'nebula', cosmic: 'nebula', cosmos: 'nebula', universe: 'space', astral: 'nebula',
  northern: 'aurora', borealis: 'aurora',
  sea: 'ocean', marine: 'ocean', seaside: 'beach', coast: 'beach', shore: 'beach', tropical: 'beach', island: 'beach', waves: 'ocean', wave: 'ocean',
  undersea: 'underwater', subaquatic: 'underwater', reef: 'lagoon', aquarium: 'underwater', deepsea: 'underwater',
  river: 'lake', pond: 'lake', waterfall: 'water', pool: 'water', caustic: 'water', caustics: 'water',
  snowfall: 'snow', snowy: 'snow', blizzard: 'snow', snowflake: 'snow', frost: 'ice', frosty: 'ice', glacier: 'ice', arctic: 'ice', polar: 'ice', crystal: 'ice',
  woods: 'forest', woodland: 'forest', trees: 'forest', tree: 'forest', leaves: 'autumn', foliage: 'forest', rainforest: 'jungle', tropics: 'jungle',
  fall: 'autumn', grass: 'meadow', field: 'meadow', garden: 'meadow', prairie: 'meadow', countryside: 'meadow', flowers: 'blossom', flower: 'blossom', floral: 'blossom', sakura: 'blossom', cherry: 'blossom',
  dunes: 'desert', dune: 'desert', sahara: 'desert', savanna: 'desert', arid: 'desert',
  foggy: 'fog', misty: 'mist', smog: 'haze', vapor: 'mist', vapour: 'mist', steam: 'mist', cloudy: 'cloud', overcast: 'cloud', clouds: 'cloud',
  stormy: 'storm', thunder: 'storm', thunderstorm: 'storm', tempest: 'storm', hurricane: 'storm', rainy: 'rain', drizzle: 'rain', downpour: 'rain',
  flames: 'fire', flame: 'fire', fiery: 'fire', blaze: 'fire', inferno: 'fire', burning: 'fire', campfire: 'ember', embers: 'ember', firelight: 'candle', candlelight: 'candle', candles: 'candle',
  volcano: 'lava', volcanic: 'lava', magma: 'lava', molten: 'lava',
  neons: 'neon', neonlight: 'neon', cyber: 'cyberpunk', futuristic: 'cyberpunk', scifi: 'cyberpunk', retrowave: 'synthwave', outrun: 'synthwave', retro: 'synthwave', eighties: 'synthwave',
  urban: 'city', cityscape: 'city', skyline: 'city', downtown: 'city', street: 'city', metropolis: 'city',
  stage: 'concert', show: 'concert', festival: 'concert', disco: 'club', party: 'club', nightclub: 'club', rave: 'club', dancefloor: 'club',
  photo: 'studio', photography: 'studio', portrait: 'studio', seamless: 'studio', cyclorama: 'studio', cyc: 'studio', headshot: 'studio',
  background: 'backdrop', oldmaster: 'painterly',
  cloth: 'muslin', fabric: 'silk', satin: 'silk', drapery: 'velvet', curtain: 'velvet', smoky: 'smoke', smokey: 'smoke', dust: 'haze', dusty: 'haze',
  paradise: 'heaven', heavenly: 'heaven', divine: 'heaven', angelic: 'heaven', celestial: 'heaven',
  mountains: 'mountain', alpine: 'mountain', peaks: 'mountain', hills: 'meadow', valley: 'meadow', cavern: 'cave', grotto: 'cave', underground: 'cave', gorge: 'canyon',
  office: 'corporate', business: 'corporate', broadcast: 'news', newsroom: 'news', tv: 'news', television: 'news',
  bridal: 'wedding', romantic: 'wedding', prism: 'rainbow', iridescent: 'rainbow', holographic: 'rainbow', spectrum: 'rainbow',
  sunshine: 'sunlit', sunny: 'sunlit', sunlight: 'sunlit', sunbeams: 'sunbeam', rays: 'godray', godrays: 'godray', beams: 'beam', shafts: 'shaft',
  warmth: 'warm', chilly: 'cool', freezing: 'frozen', heat: 'hot', glow: 'glowing', glowy: 'glowing', luminescent: 'glowing', bioluminescent: 'glowing',
  colourless: 'monochrome', bw: 'monochrome', greyscale: 'monochrome', grayscale: 'monochrome', neutral: 'subtle', quiet: 'calm', relaxing: 'calm', ambient: 'calm',
  noir: 'lowkey', low: 'dim', shadows: 'shadowy', darker: 'dark', brighter: 'bright', lighter: 'airy', light: 'airy', pale: 'pastel', faint: 'subtle',
  violent: 'chaotic', dynamic: 'energetic', lively: 'energetic', swirl: 'swirling', swirly: 'swirling', swirls: 'swirling', flow: 'flowing', fluid: 'liquid',
  grain: 'grainy', texture: 'textured', mottle: 'mottled', brushstrokes: 'painterly', oil: 'painterly', watercolor: 'painted', watercolour: 'painted',
  violetblue: 'indigo', skyblue: 'azure', baby: 'pastel', hotpink: 'fuchsia', rosy: 'rose', reddish: 'red', bluish: 'blue', greenish: 'green',
  silvery: 'silver', golds: 'gold', blacks: 'black', whites: 'white', creamy: 'cream', chrome: 'silver', steel: 'slate', concrete: 'charcoal', stone: 'slate',
};

/** Words that carry no look and are skipped silently (not hashed as unknown). */
const STOP_WORDS = [
  'a', 'an', 'the', 'of', 'and', 'or', 'with', 'in', 'on', 'at', 'over', 'under', 'above', 'below', 'behind', 'by', 'to', 'for',
  'from', 'into', 'onto', 'is', 'it', 'its', 'as', 'like', 'some', 'this', 'that', 'scene', 'image', 'picture',
  'view', 'shot', 'style', 'look', 'looking', 'feel', 'feeling', 'mood', 'atmosphere', 'atmospheric', 'lighting', 'lit', 'tone', 'tones',
  'toned', 'color', 'hour', 'time', 'kind', 'sort', 'type', 'please', 'make', 'give', 'me', 'us', 'wall', 'led', 'screen', 'hd', '4k', '8k',
];

function mixHex(hex: string, toward: string, amount: number): string {
  const parse = (h: string) => [1, 3, 5].map((i) => Number.parseInt(h.slice(i, i + 2), 16));
  const a = parse(hex);
  const b = parse(toward);
  return `#${a.map((v, i) => Math.round(v + (b[i]! - v) * amount).toString(16).padStart(2, '0')).join('')}`;
}

/** The whole vocab.json object. Plain data; key order is fixed, so the JSON is stable. */
export function vocabularyJson(): object {
  const words: Record<string, { set?: Settings; add?: Record<string, number> }> = {};
  for (const [word, settings] of Object.entries(SCENES)) words[word] = { set: { ...settings } };
  for (const [word, hex] of Object.entries(COLOURS)) {
    words[word] = {
      set: {
        body: hex,
        glow: mixHex(hex, '#ffffff', 0.25),
        light: mixHex(hex, '#ffffff', 0.6),
        shadow: mixHex(hex, '#000000', 0.78),
      },
    };
  }
  for (const [word, settings] of Object.entries(MODIFIERS)) {
    words[word] = { add: { ...settings } };
  }
  return {
    schemaVersion: 1,
    conditioningSize: CONDITIONING_SIZE,
    slots: SLOTS.map((s) => ({ name: s.name, index: s.index, size: s.size, neutral: NEUTRAL[s.name]!, doc: s.doc })),
    stopWords: STOP_WORDS,
    intensifiers: { very: 1.8, deep: 1.5, extremely: 2.2, super: 1.8, really: 1.5, slightly: 0.45, somewhat: 0.6, bit: 0.5, little: 0.5, hint: 0.4 },
    negations: ['no', 'not', 'without', 'non'],
    aliases: ALIASES,
    words,
  };
}
