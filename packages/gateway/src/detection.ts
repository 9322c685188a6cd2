import { createOutputScanner, type Profile, runDetectors } from '@companion-guard/core';
import type { Detection } from './server/chat-service.js';

/** Builds the gateway's detection from core's detector registry, with the profile's exit keywords. */
export function createDetection(profile: Profile): Detection {
  const exitKeywords = [...profile.exit.keywords.zh, ...profile.exit.keywords.en];
  return {
    inspectInput: (text) => runDetectors(text, { side: 'input', exitKeywords }),
    createOutputScanner: () => createOutputScanner({ side: 'output' }),
  };
}
