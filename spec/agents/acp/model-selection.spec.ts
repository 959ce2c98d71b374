import { expect } from 'chai';
import { type NewSessionReply, planModelChange } from '../../../lib/agents/acp/model-selection.js';

const withConfigOption: NewSessionReply = {
  sessionId: 's1',
  configOptions: [
    {
      id: 'mode',
      name: 'Mode',
      category: 'mode',
      type: 'select',
      currentValue: 'ask',
      options: [{ value: 'ask', name: 'Ask' }],
    },
    {
      id: 'model',
      name: 'Model',
      category: 'model',
      type: 'select',
      currentValue: 'sonnet',
      options: [
        {
          group: 'anthropic',
          name: 'Anthropic',
          options: [
            { value: 'sonnet', name: 'Sonnet' },
            { value: 'opus', name: 'Opus' },
          ],
        },
      ],
    },
  ],
};

const withLegacyModels: NewSessionReply = {
  sessionId: 's2',
  models: {
    currentModelId: 'openrouter:a',
    availableModels: [
      { modelId: 'openrouter:a', name: 'A' },
      { modelId: 'openrouter:b', name: 'Model B' },
    ],
  },
};

describe('planModelChange', () => {
  it('sets a model config option offering the value, grouped options included', () => {
    expect(planModelChange(withConfigOption, 'opus', 'config_option')).to.deep.equal({
      method: 'session/set_config_option',
      params: { sessionId: 's1', configId: 'model', value: 'opus' },
    });
    expect(planModelChange(withConfigOption, 'OPUS', 'auto')?.params).to.deep.include({ value: 'opus' });
  });

  it('changes nothing for the current model or a model not offered', () => {
    expect(planModelChange(withConfigOption, 'sonnet', 'config_option')).to.equal(null);
    expect(planModelChange(withConfigOption, 'gpt-9', 'config_option')).to.equal(null);
  });

  it('calls the legacy session/set_model, matching id, name or the model part of provider:model', () => {
    expect(planModelChange(withLegacyModels, 'openrouter:b', 'set_model')).to.deep.equal({
      method: 'session/set_model',
      params: { sessionId: 's2', modelId: 'openrouter:b' },
    });
    expect(planModelChange(withLegacyModels, 'model b', 'set_model')?.params).to.deep.include({
      modelId: 'openrouter:b',
    });
    expect(planModelChange(withLegacyModels, 'b', 'auto')?.params).to.deep.include({ modelId: 'openrouter:b' });
    expect(planModelChange(withLegacyModels, 'a', 'set_model')).to.equal(null);
  });

  it('uses only the configured way, or none', () => {
    expect(planModelChange(withLegacyModels, 'b', 'config_option')).to.equal(null);
    expect(planModelChange(withConfigOption, 'opus', 'set_model')).to.equal(null);
    expect(planModelChange(withConfigOption, 'opus', 'none')).to.equal(null);
  });
});
